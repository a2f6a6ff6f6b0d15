/**
 * The OVMS-style WireGuard client: the nine {@code network.wireguard} settings and the
 * start/stop/restart/status control over the one tunnel they describe.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.2.0")
package org.wgkaraf.api.wireguard;
