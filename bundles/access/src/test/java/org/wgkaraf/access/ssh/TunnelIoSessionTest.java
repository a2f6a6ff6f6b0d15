package org.wgkaraf.access.ssh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wgkaraf.access.LoopbackTcpService.ip;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.common.io.IoHandler;
import org.apache.sshd.common.io.IoSession;
import org.apache.sshd.common.io.IoWriteFuture;
import org.apache.sshd.common.util.Readable;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.wgkaraf.access.LoopbackTcpService;
import org.wgkaraf.api.netif.TcpConnection;
import org.wgkaraf.api.netif.TcpListener;
import org.wgkaraf.testsupport.Await;

/**
 * The IoSession contract MINA SSHD relies on, over a real connection: write futures complete when
 * the bytes are written to the connection (not before), reads pause while suspended, the end of
 * the peer's stream and a graceful close behave as on SSHD's own NIO2 sessions.
 */
@Timeout(60)
class TunnelIoSessionTest {
    private static final Duration SOON = Duration.ofSeconds(10);

    private LoopbackTcpService tcp;
    private TcpListener listener;
    private Socket peer;
    private TcpConnection connection;
    private final Recorder handler = new Recorder();
    private final TunnelIoService service = new TunnelIoService();
    private TunnelIoSession session;

    @BeforeEach
    void setUp() throws Exception {
        tcp = new LoopbackTcpService(ip("172.16.10.20"), ip("172.16.1.10"));
        listener = tcp.listen(22, 1);
        peer = new Socket(LoopbackTcpService.LOOPBACK, tcp.osPort(22));
        peer.setSoTimeout(20_000);
        connection = listener.accept(SOON);
        session = new TunnelIoSession(service, handler, connection, "server", tcp, getClass().getClassLoader());
        service.register(session);
        session.start();
        Await.until("session created", SOON, () -> handler.created.get() == 1);
    }

    @AfterEach
    void tearDown() throws Exception {
        session.close(true);
        assertTrue(session.awaitThreads(10_000), "threads left");
        peer.close();
        listener.close();
        tcp.close();
    }

    @Test
    void itReportsTheConnectionsAddresses() {
        assertEquals(connection.remote(), session.getRemoteAddress());
        assertEquals(new InetSocketAddress(ip("172.16.10.20"), 22), session.getLocalAddress());
        assertEquals(ip("172.16.1.10"), ((InetSocketAddress) session.getRemoteAddress()).getAddress());
        assertEquals(List.of(session), List.copyOf(service.getManagedSessions().values()));
    }

    @Test
    void writeFuturesCompleteOnlyOnceWrittenAndInOrder() throws Exception {
        byte[] chunk = new byte[256 * 1024];
        List<IoWriteFuture> futures = new ArrayList<>();
        int count = 96;
        for (int i = 0; i < count; i++) {
            Arrays.fill(chunk, (byte) i);
            futures.add(session.writeBuffer(new ByteArrayBuffer(chunk.clone())));
        }
        // 24 MiB for a peer that reads nothing: the socket buffers fill and the writer waits.
        Await.until("the writer blocked", SOON, () -> writerBlocked());
        long done = futures.stream().filter(IoWriteFuture::isDone).count();
        assertTrue(done < count, "all " + count + " writes reported written while the peer read nothing");
        for (int i = 1; i < count; i++) {
            assertFalse(futures.get(i).isDone() && !futures.get(i - 1).isDone(), "write " + i + " completed before " + (i - 1));
        }

        InputStream in = peer.getInputStream();
        byte[] got = new byte[chunk.length];
        for (int i = 0; i < count; i++) {
            assertEquals(chunk.length, in.readNBytes(got, 0, got.length));
            for (byte b : got) {
                if (b != (byte) i) {
                    throw new AssertionError("chunk " + i + " holds a byte of another chunk");
                }
            }
        }
        for (IoWriteFuture f : futures) {
            assertTrue(f.verify(SOON.toMillis()).isWritten());
        }
    }

    @Test
    void aPeerThatLetsMoreThanTheCapWaitIsCutOff() throws Exception {
        byte[] chunk = new byte[1024 * 1024];
        List<IoWriteFuture> futures = new ArrayList<>();
        // More than the cap plus what the socket buffers of both ends can take.
        for (long queued = 0; queued <= TunnelIoSession.MAX_QUEUED_BYTES + 24L * 1024 * 1024; queued += chunk.length) {
            futures.add(session.writeBuffer(new ByteArrayBuffer(chunk)));
        }

        Await.until("closed", SOON, () -> session.isClosed() && handler.closed.get() == 1);
        IoWriteFuture last = futures.get(futures.size() - 1);
        Await.until("the last write failed", SOON, () -> last.isDone());
        assertFalse(last.isWritten());
        assertTrue(session.awaitThreads(SOON.toMillis()));
    }

    @Test
    void nothingIsDeliveredWhileReadsAreSuspended() throws Exception {
        session.suspendRead();
        peer.getOutputStream().write(new byte[] {1, 2, 3});
        // A read already waiting delivers its bytes once; then (or at once) the reader parks.
        Await.until("the reader parked", SOON, () -> readerParked());
        int delivered = handler.received().length;

        peer.getOutputStream().write(new byte[] {4, 5});
        assertTrue(readerParked(), "the reader woke while suspended");
        assertEquals(delivered, handler.received().length);

        session.resumeRead();
        Await.until("everything after resuming", SOON, () -> handler.received().length == 5);
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, handler.received());
    }

    @Test
    void thePeersEndOfStreamClosesTheSession() throws Exception {
        peer.shutdownOutput();

        Await.until("closed", SOON, () -> session.isClosed() && handler.closed.get() == 1);
        assertTrue(session.awaitThreads(SOON.toMillis()));
        assertTrue(service.getManagedSessions().isEmpty());
    }

    @Test
    void aGracefulCloseWritesWhatIsQueuedFirst() throws Exception {
        byte[] data = new byte[3 * 1024 * 1024];
        Arrays.fill(data, (byte) 7);
        IoWriteFuture f = session.writeBuffer(new ByteArrayBuffer(data));
        session.close(false);

        ByteArrayOutputStream got = new ByteArrayOutputStream();
        peer.getInputStream().transferTo(got);
        assertArrayEquals(data, got.toByteArray());
        assertTrue(f.isWritten());
        Await.until("closed", SOON, () -> session.isClosed());
    }

    @Test
    void shutdownOutputSendsEndOfStreamAfterTheData() throws Exception {
        session.writeBuffer(new ByteArrayBuffer(new byte[] {9, 8, 7}));
        session.shutdownOutputStream();

        assertArrayEquals(new byte[] {9, 8, 7}, peer.getInputStream().readAllBytes());
        assertFalse(session.isClosing(), "shutting the output down closed the session");
    }

    @Test
    void writesAfterCloseFailInsteadOfHanging() throws Exception {
        session.close(true);
        IoWriteFuture f = session.writeBuffer(new ByteArrayBuffer(new byte[] {1}));
        assertTrue(f.isDone());
        assertNotNull(f.getException());
    }

    /** The writer thread is inside a write to the connection (which blocks while the peer does not read). */
    private boolean writerBlocked() {
        Thread t = thread("-out");
        return t != null && Arrays.stream(t.getStackTrace()).anyMatch(e -> e.getMethodName().equals("write")
                && e.getClassName().contains("SocketConnection"));
    }

    private boolean readerParked() {
        Thread t = thread("-in");
        return t != null && t.getState() == Thread.State.WAITING
                && Arrays.stream(t.getStackTrace()).anyMatch(e -> e.getMethodName().equals("awaitResumed"));
    }

    private Thread thread(String suffix) {
        String name = "wgkaraf-ssh-" + session.getId() + suffix;
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name)).findFirst().orElse(null);
    }

    /** An IoHandler that records what SSHD's session factory would be told. */
    private static final class Recorder implements IoHandler {
        final AtomicInteger created = new AtomicInteger();
        final AtomicInteger closed = new AtomicInteger();
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public void sessionCreated(IoSession session) {
            created.incrementAndGet();
        }

        @Override
        public void sessionClosed(IoSession session) {
            closed.incrementAndGet();
        }

        @Override
        public void exceptionCaught(IoSession session, Throwable cause) {
            // Closed right after by the session.
        }

        @Override
        public void messageReceived(IoSession session, Readable message) {
            byte[] b = new byte[message.available()];
            message.getRawBytes(b, 0, b.length);
            synchronized (bytes) {
                bytes.write(b, 0, b.length);
            }
        }

        byte[] received() {
            synchronized (bytes) {
                return bytes.toByteArray();
            }
        }
    }
}
