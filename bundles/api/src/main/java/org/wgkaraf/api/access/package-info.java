/**
 * Access to the module through the tunnel: the SSH bridge (Karaf's console on a port of the
 * tunnel address) and the SOCKS5 proxy (programs on the module reach the private network). Each
 * reports what a user needs to see: whether it listens, where, and why not; what is open; what
 * was refused and why.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.wgkaraf.api.access;
