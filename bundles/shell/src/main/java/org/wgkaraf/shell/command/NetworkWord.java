package org.wgkaraf.shell.command;

import java.io.InputStream;
import java.io.PrintStream;
import java.net.UnknownHostException;
import org.apache.karaf.shell.support.CommandException;
import org.wgkaraf.api.netif.NetifRegistry;
import org.wgkaraf.api.netif.PingResult;
import org.wgkaraf.api.netif.PingService;
import org.wgkaraf.shell.format.NetworkStatusFormat;
import org.wgkaraf.shell.format.PingFormat;
import org.wgkaraf.shell.format.TcpFormat;

/** What {@code network <word>} and {@code network:<word>} do. */
enum NetworkWord implements Word {
    STATUS, PING;

    static NetworkWord parse(String typed) throws CommandException {
        return Word.parse(values(), typed, "network");
    }

    /** The original's run (4 requests of 64 bytes, 1 s apart, 1 s timeout) with another count or size. */
    static PingService.Options options(int count, int dataSize) throws CommandException {
        PingService.Options d = PingService.Options.DEFAULT;
        try {
            return new PingService.Options(count, d.interval(), d.timeout(), dataSize);
        } catch (IllegalArgumentException e) {
            throw Failure.of(e.getMessage());
        }
    }

    @Override
    public void run(WordCommand services, Arguments arguments, InputStream in, PrintStream out)
            throws CommandException {
        if (this == STATUS && arguments.host() != null) {
            throw Failure.of("only 'network ping' takes a host");
        }
        if (this == STATUS) {
            NetifRegistry registry = WordCommand.require(services.registry, NetifRegistry.class);
            NetworkStatusFormat.lines(registry.interfaces(), registry.dnsServers(), registry.defaultInterface())
                    .forEach(out::println);
            if (services.tcp != null) { // after the original's lines, which scripts may read
                out.println();
                TcpFormat.lines(services.tcp.status()).forEach(out::println);
            }
        } else if (arguments.host() == null) {
            throw Failure.of("network ping needs a host: network ping <host>");
        } else {
            ping(WordCommand.require(services.pingService, PingService.class), arguments, out);
        }
    }

    /** Each line is flushed when its event happens; an interrupted run (Ctrl-C) ends quietly. */
    private static void ping(PingService service, Arguments arguments, PrintStream out) throws CommandException {
        PingFormat format = new PingFormat(line -> {
            out.println(line);
            out.flush();
        });
        try {
            PingResult result = service.ping(arguments.host(), arguments.options(), format);
            format.summary(result);
        } catch (UnknownHostException e) {
            throw Failure.verbatim(PingFormat.unknownHost(arguments.host()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
