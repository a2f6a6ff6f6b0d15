package org.wgkaraf.shell.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.support.CommandException;
import org.wgkaraf.api.access.SocksProxy;
import org.wgkaraf.api.access.SshBridge;
import org.wgkaraf.api.engine.WireGuardEngine;
import org.wgkaraf.api.netif.NetifRegistry;
import org.wgkaraf.api.netif.PingService;
import org.wgkaraf.api.netif.TcpService;
import org.wgkaraf.api.wireguard.WireGuardControl;
import org.wgkaraf.api.wireguard.WireGuardSettings;

/**
 * Every command of both dialects: the services a word may speak to, injected by Karaf, then the
 * word run on the session's streams.
 */
public abstract class WordCommand implements Action {
    // Optional: a command stays listed while the bundle behind a service restarts, and then says
    // which service is missing rather than "Command not found".
    @Reference(optional = true)
    WireGuardControl control;

    @Reference(optional = true)
    WireGuardEngine engine;

    @Reference(optional = true)
    WireGuardSettings settings;

    @Reference(optional = true)
    NetifRegistry registry;

    @Reference(optional = true)
    PingService pingService;

    @Reference(optional = true)
    TcpService tcp;

    @Reference(optional = true)
    SshBridge sshBridge;

    @Reference(optional = true)
    SocksProxy socksProxy;

    /** The verbatim commands parse the word typed; the scoped ones name theirs. */
    abstract Word word() throws CommandException;

    Arguments arguments() throws CommandException {
        return Arguments.NONE;
    }

    @Override
    public Object execute() throws Exception {
        word().run(this, arguments(), System.in, System.out);
        return null;
    }

    static <T> T require(T service, Class<T> type) throws CommandException {
        if (service == null) {
            throw Failure.of("no " + type.getSimpleName() + " service; are the wgkaraf bundles active?"
                    + " (bundle:list | grep wgkaraf)");
        }
        return service;
    }
}
