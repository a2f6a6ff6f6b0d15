/** Karaf shell commands of wgkaraf. */
package org.wgkaraf.shell;
