/**
 * The WireGuard engine service and its value types. Plain Java: no OSGi or crypto library types
 * appear here, so every implementation bundle can be replaced while the container runs.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.2.0")
package org.wgkaraf.api.engine;
