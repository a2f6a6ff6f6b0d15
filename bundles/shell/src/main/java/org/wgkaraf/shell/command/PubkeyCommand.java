package org.wgkaraf.shell.command;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "wireguard", name = "pubkey",
        description = "Prints the public key of a private key, like wg pubkey: echo '<private key>' | wireguard:pubkey")
@Service
public class PubkeyCommand extends WordCommand {
    // Masked while typed and in the shell's history; the standard input keeps it out of both.
    @Argument(index = 0, name = "private-key", censor = true,
            description = "the private key; without it, the first line of the standard input")
    String privateKey;

    @Override
    Word word() {
        return WireGuardWord.PUBKEY;
    }

    @Override
    Arguments arguments() {
        return Arguments.privateKey(privateKey);
    }
}
