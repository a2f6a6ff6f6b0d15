package org.wgkaraf.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;

/**
 * The feature in another Karaf: a stock Apache Karaf 4.4.10, as downloaded, with no network
 * (its remote Maven repositories removed), set up as the README tells a user:
 * <ol>
 * <li>the users.properties step of stock Karaf (its one account is commented out);</li>
 * <li>{@code feature:repo-add} and {@code feature:install wgkaraf} from a Maven repository holding
 * what the build made (here: the KAR's own repository/ folder, unpacked, as a file repository);</li>
 * <li>the KAR dropped into {@code deploy/}.</li>
 * </ol>
 * Installing and uninstalling are typed into one console session held open throughout (OpenSSH,
 * with a terminal): the session must keep answering, and none of Karaf's own bundles may be
 * stopped for a refresh.
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class StockKarafIT {
    private static final Duration ANSWER = Duration.ofSeconds(60);
    private static KarafInstallation karaf;
    private static String featuresUrl;

    @BeforeClass
    public static void unpackAndStart() throws Exception {
        TestNetwork.ensure();
        String stock = System.getProperty("karaf.stock.file");
        String kar = System.getProperty("wgkaraf.kar.file");
        String version = System.getProperty("wgkaraf.version");
        if (stock == null || kar == null || version == null) {
            throw new IllegalStateException("run through Maven (failsafe sets karaf.stock.file, wgkaraf.kar.file, wgkaraf.version)");
        }
        featuresUrl = "mvn:org.wgkaraf/features/" + version + "/xml/features";
        karaf = KarafInstallation.unpack(stock, "stock");
        // Stock Karaf's users.properties has its account commented out: the README's step.
        Path users = karaf.file("etc/users.properties");
        Files.writeString(users, Files.readString(users)
                .replace("#karaf = karaf,_g_:admingroup", "karaf = karaf,_g_:admingroup")
                .replace("#_g_\\:admingroup = group,admin,manager,viewer,systembundles,ssh",
                        "_g_\\:admingroup = group,admin,manager,viewer,systembundles,ssh"));
        karaf.authorizeKey("karaf", KarafConsole.publicKey());
        // No network: no remote repository but one folder holding what the build made.
        Path repository = unpackRepository(Path.of(kar), karaf.home.getParent().resolve("wgkaraf-repository"));
        karaf.replaceProperty("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.repositories",
                repository.toUri() + "@id=wgkaraf@snapshots");
        karaf.replaceProperty("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.localRepository",
                karaf.home.resolve("data/maven-local").toString());
        karaf.start("feature:list -i", s -> s.contains("ssh "));
    }

    @AfterClass
    public static void stop() throws InterruptedException {
        if (karaf != null) {
            karaf.close();
        }
    }

    /** The KAR's repository/ folder: a Maven repository of the feature and every bundle it needs. */
    private static Path unpackRepository(Path kar, Path into) throws IOException {
        Files.createDirectories(into);
        try (InputStream in = Files.newInputStream(kar); ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                if (e.isDirectory() || !e.getName().startsWith("repository/")) {
                    continue;
                }
                Path to = into.resolve(e.getName().substring("repository/".length())).normalize();
                if (!to.startsWith(into)) {
                    throw new IOException("entry outside the repository: " + e.getName());
                }
                Files.createDirectories(to.getParent());
                Files.copy(zip, to, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return into;
    }

    /** The bundles the features service stopped after the log's first {@code from} characters. */
    static Set<String> stoppedBundles(String log, int from) {
        Set<String> stopped = new TreeSet<>();
        boolean inBlock = false;
        for (String line : log.substring(from).split("\\R")) {
            int bar = line.lastIndexOf(" | ");
            String message = bar < 0 ? line : line.substring(bar + 3);
            if (message.startsWith("Stopping bundles:") || message.startsWith("Refreshing bundles:")) {
                inBlock = true;
            } else if (inBlock && message.startsWith("  ")) {
                stopped.add(message.strip().split("[/ ]")[0]);
            } else {
                inBlock = false;
            }
        }
        return stopped;
    }

    private static List<String> karafsOwnBundles() {
        List<String> names = new ArrayList<>();
        for (String line : karaf.client("bundle:list -s -t 0").split("\\R")) {
            String[] cols = line.split("\\|");
            if (cols.length >= 5 && cols[0].strip().matches("\\d+")) {
                names.add(cols[cols.length - 1].strip());
            }
        }
        return names;
    }

    @Test
    public void a_repoAddInstallAndUninstallKeepTheConsoleThatTypedThem() throws Exception {
        List<String> own = karafsOwnBundles();
        assertTrue(own.toString(), own.contains("org.jline") && own.contains("org.apache.karaf.shell.core"));
        int mark = karaf.log().length();
        try (KarafConsole console = new KarafConsole("karaf", "127.0.0.1", karaf.sshPort)) {
            console.run("feature:repo-add " + featuresUrl, "Adding feature url .*", ANSWER);
            console.type("feature:install wgkaraf");
            assertTrue("the console answers after feature:install", console.answers(ANSWER));
            String status = console.run("wireguard:status", "Connection status:  stopped", ANSWER);
            assertFalse(status, status.contains("Command not found"));
            // The original's words have a scope of their own in a Karaf without our aliases.
            console.type("ovms:config set network.wireguard local_port 11010");
            console.run("ovms:config get network.wireguard local_port", "11010", ANSWER);
            assertTrue("the default configuration file was installed", Files.readString(
                    karaf.file("etc/network.wireguard.cfg")).contains("local_port = 11010"));

            console.type("feature:uninstall wgkaraf");
            assertTrue("the console answers after feature:uninstall", console.answers(ANSWER));
            console.run("feature:list -i | grep -c wgkaraf", "0", ANSWER);
            assertTrue(console.open());
        }
        Set<String> stopped = stoppedBundles(karaf.log(), mark);
        stopped.retainAll(own);
        assertEquals("Karaf's own bundles stopped (refreshed) by installing or uninstalling the feature", Set.of(), stopped);
        karaf.client("feature:repo-remove " + featuresUrl);
        String repos = karaf.client("feature:repo-list");
        assertFalse(repos, repos.contains("wgkaraf"));
    }

    @Test
    public void b_theKarDroppedIntoDeployInstallsTheFeatureWithNoNetwork() throws Exception {
        Path kar = Path.of(System.getProperty("wgkaraf.kar.file"));
        Files.copy(kar, karaf.file("deploy").resolve(kar.getFileName()));
        String status = karaf.await("wireguard:status", s -> s.contains("Connection status:  stopped"), 120);
        assertTrue(status, status.contains("last error:"));
        String bundles = karaf.client("bundle:list -s -t 0");
        for (String bsn : List.of("org.wgkaraf.api", "org.wgkaraf.engine", "org.wgkaraf.netif", "org.wgkaraf.config",
                "org.wgkaraf.shell", "org.apache.felix.scr")) {
            assertTrue(bsn + " active:\n" + bundles, bundles.lines().anyMatch(l -> l.contains("Active") && l.strip().endsWith("| " + bsn)));
        }
    }
}
