package org.wgkaraf.itests;

import static org.ops4j.pax.exam.CoreOptions.vmOption;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.doNotModifyLogConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.keepRuntimeFolder;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import org.ops4j.pax.exam.Option;

/** Boots the wgkaraf distribution as built by this reactor. */
public final class KarafTestSupport {
    private static final String MAVEN_CFG = "etc/org.ops4j.pax.url.mvn.cfg";
    private KarafTestSupport() {
    }

    /** Whether the engine's native X25519 is built for, and so must load on, this platform. */
    static boolean nativeX25519Expected() {
        String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        return os.startsWith("linux") && (arch.equals("amd64") || arch.equals("x86_64"));
    }

    /** "native" or "bc": what the engine bundle's current revision uses for X25519 (crypto.X25519.implementation()). */
    static String x25519Implementation(org.osgi.framework.Bundle engine) throws ReflectiveOperationException {
        return (String) engine.loadClass("org.wgkaraf.engine.crypto.X25519").getMethod("implementation").invoke(null);
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Option[] distribution(Option... extra) {
        String dist = System.getProperty("karaf.dist.file");
        String version = System.getProperty("karaf.version");
        String examRepository = System.getProperty("exam.repository");
        if (dist == null || version == null || examRepository == null) {
            throw new IllegalStateException("run through Maven (failsafe sets karaf.dist.file, karaf.version and exam.repository)");
        }
        List<Option> options = new ArrayList<>(List.of(
                karafDistributionConfiguration()
                        .frameworkUrl(new File(dist).toURI().toString())
                        .unpackDirectory(new File("target/exam"))
                        .useDeployFolder(false),
                keepRuntimeFolder(),
                // The distribution's own logging, as a user has it: Pax Exam's rewrite of the
                // pax-logging configuration can leave log:set/log:display with "Unrecognized configuration".
                doNotModifyLogConfiguration(),
                configureConsole().ignoreLocalConsole(),
                // Offline. Pax Exam installs its own feature into the container; the pom makes Maven
                // resolve exactly what that needs into its local repository, which the container
                // reads as a file repository beside the distribution's own system/ folder. Its
                // scratch local repository is inside the unpacked container.
                editConfigurationFilePut(MAVEN_CFG, "org.ops4j.pax.url.mvn.offline", "true"),
                editConfigurationFilePut(MAVEN_CFG, "org.ops4j.pax.url.mvn.repositories", ""),
                editConfigurationFilePut(MAVEN_CFG, "org.ops4j.pax.url.mvn.defaultRepositories",
                        "${karaf.home.uri}${karaf.default.repository}@id=system.repository@snapshots, "
                                + new File(examRepository).toURI() + "@id=maven.local@snapshots"),
                editConfigurationFilePut(MAVEN_CFG, "org.ops4j.pax.url.mvn.localRepository", "${karaf.data}/maven-local"),
                editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", Integer.toString(freePort())),
                editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiRegistryPort", Integer.toString(freePort())),
                editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiServerPort", Integer.toString(freePort()))));
        // Pax Exam starts java directly, not bin/karaf: these are the options bin/karaf adds on
        // JDK 9+ (the --patch-module jars carry the Karaf version in their names).
        for (String v : new String[] {
                "--add-reads=java.xml=java.logging",
                "--add-exports=java.base/org.apache.karaf.specs.locator=java.xml,ALL-UNNAMED",
                "--patch-module", "java.base=lib/endorsed/org.apache.karaf.specs.locator-" + version + ".jar",
                "--patch-module", "java.xml=lib/endorsed/org.apache.karaf.specs.java.xml-" + version + ".jar",
                "--add-opens", "java.base/java.security=ALL-UNNAMED",
                "--add-opens", "java.base/java.net=ALL-UNNAMED",
                "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "--add-opens", "java.base/java.util=ALL-UNNAMED",
                "--add-opens", "java.naming/javax.naming.spi=ALL-UNNAMED",
                "--add-opens", "java.rmi/sun.rmi.transport.tcp=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.protocol.file=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.protocol.ftp=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.protocol.http=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.protocol.https=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.protocol.jar=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.content.text=ALL-UNNAMED",
                "--add-exports=jdk.xml.dom/org.w3c.dom.html=ALL-UNNAMED",
                "--add-exports=jdk.naming.rmi/com.sun.jndi.url.rmi=ALL-UNNAMED",
                "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
                "--add-exports=java.security.sasl/com.sun.security.sasl=ALL-UNNAMED",
                "--add-exports=java.naming/com.sun.jndi.ldap=ALL-UNNAMED",
                "-classpath", "lib/jdk9plus/*" + File.pathSeparator + "lib/boot/*" + File.pathSeparator + "lib/endorsed/*"}) {
            options.add(vmOption(v));
        }
        options.addAll(List.of(extra));
        return options.toArray(new Option[0]);
    }
}
