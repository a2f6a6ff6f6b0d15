package org.wgkaraf.api.netif;

import java.io.IOException;
import java.time.Duration;
import org.osgi.annotation.versioning.ProviderType;

/** A port listened on through {@link TcpService#listen}. */
@ProviderType
public interface TcpListener extends AutoCloseable {

    int port();

    /**
     * The next established connection, waiting up to {@code timeout}.
     *
     * @return the connection, or {@code null} when none arrived in time
     * @throws IOException when the listener is closed (also wakes a waiting caller)
     */
    TcpConnection accept(Duration timeout) throws IOException, InterruptedException;

    /** Stops listening; connections not yet accepted are reset, accepted ones are left alone. */
    @Override
    void close();
}
