/**
 * The commands, in two dialects over the same services and the same code.
 * <p>
 * The original's words verbatim ({@code config set network.wireguard …}, {@code wireguard …},
 * {@code network …}) are registered in Karaf's {@code shell} scope. Karaf resolves an unscoped name
 * for completion, help and history masking through {@code SCOPE=shell:bundle:*} (hard-coded), so
 * there {@code config} is {@code shell:config}, ahead of Karaf's own {@code config:*}. Execution is
 * different: the command processor takes the global {@code *:config} first, and every scope has a
 * global subshell command of its name ({@code config}, {@code wireguard}, {@code network}),
 * which answers {@code config set …} with "too many arguments specified". The session aliases of
 * {@code src/main/karaf/wgkaraf.script} (installed as {@code etc/scripts/wgkaraf.script}) close
 * that gap; without them the words work as {@code shell:config set …}.
 * <p>
 * Karaf's dialect ({@code wireguard:status}, {@code wireguard:set <instance> <value>},
 * {@code network:ping <host>}, …) has completion. Karaf wants a class a command; each names its
 * {@link org.wgkaraf.shell.command.Word} and the arguments it takes, and the word does the rest.
 */
package org.wgkaraf.shell.command;
