package dev.strata.bridge.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.strata.bridge.fs.Posix;
import dev.strata.bridge.oci.Digest;
import dev.strata.bridge.oci.ImageConfig;
import dev.strata.bridge.oci.ImageManifest;
import dev.strata.bridge.rootfs.LayerCache;
import dev.strata.bridge.rootfs.LayerStack;
import dev.strata.bridge.rootfs.RootfsView;
import dev.strata.bridge.store.OciLayoutStore;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * COPY/ADD behaviour the buildah oracle cannot show (buildah 1.28 drops setuid on copy and lacks
 * heredoc sources, --parents and --exclude): checked against the image's own layers, read through
 * {@link RootfsView}.
 */
class CopyExactnessTest {
  private static final byte[] CAPABILITY = {
    1, 0, 0, 2, 0, 32, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
  };

  @TempDir Path tmp;
  private OciLayoutStore store;
  private HttpServer server;

  @BeforeAll
  static void root() {
    TestBuilds.requireRoot();
  }

  @BeforeEach
  void setUp() throws Exception {
    store = TestBuilds.storeWithBase(tmp.resolve("store"), Optional.empty());
  }

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.stop(0);
    }
  }

  private RootfsView build(String containerfile, Map<String, String> files) throws Exception {
    return build(
        TestBuilds.context(
            tmp.resolve("ctx/app"), "FROM strata-test/busybox:1\n" + containerfile, files));
  }

  private RootfsView build(Path ctx) throws Exception {
    NodeResult result = TestBuilds.buildOne(store, ctx, Optional.empty());
    ImageManifest manifest = ImageManifest.parse(store.readBlob(result.manifest()));
    ImageConfig config = ImageConfig.parse(store.readBlob(result.config()));
    LayerStack stack = new LayerCache(store).stack(manifest.layers(), config.diffIds());
    return new RootfsView(stack);
  }

  private static int mode(Path file) throws Exception {
    return (Integer) Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
  }

  @Test
  void setuidSetgidAndFileCapabilitiesSurviveACopy() throws Exception {
    Path ctx =
        TestBuilds.context(
            tmp.resolve("ctx/app"),
            "FROM strata-test/busybox:1\nCOPY bin/ /usr/local/bin/\n",
            Map.of("bin/suid", "s", "bin/ping", "p"));
    TestBuilds.run(ctx, "chmod", "4755", "bin/suid");
    TestBuilds.run(ctx, "chmod", "2711", "bin");
    Posix.lsetxattr(ctx.resolve("bin/ping"), "security.capability", CAPABILITY);
    RootfsView view = build(ctx);

    assertThat(mode(view.lookup("usr/local/bin/suid").orElseThrow())).isEqualTo(04755);
    assertThat(
            Posix.lgetxattr(view.lookup("usr/local/bin/ping").orElseThrow(), "security.capability"))
        .isEqualTo(CAPABILITY);
  }

  @Test
  void heredocSourcesBecomeFilesNamedByTheDestination() throws Exception {
    RootfsView view =
        build(
            "ARG WHO=world\nCOPY <<EOF /etc/greeting\nhello $WHO\nEOF\nCOPY --chmod=0755 <<run.sh /opt/\necho hi\nrun.sh\n",
            Map.of());
    assertThat(view.read("/etc/greeting"))
        .hasValue("hello world\n".getBytes(StandardCharsets.UTF_8));
    Path script = view.lookup("opt/run.sh").orElseThrow();
    assertThat(Files.readString(script)).isEqualTo("echo hi\n");
    assertThat(mode(script)).isEqualTo(0755);
  }

  @Test
  void parentsKeepsTheSourcePathAndExcludeLeavesFilesOut() throws Exception {
    RootfsView view =
        build(
            "COPY --parents conf/a/x.conf conf/b/y.conf /etc/app/\nCOPY --exclude=*.log logs/ /var/log/app/\n",
            Map.of(
                "conf/a/x.conf", "x",
                "conf/b/y.conf", "y",
                "logs/keep.txt", "k",
                "logs/drop.log", "d"));
    assertThat(view.read("/etc/app/conf/a/x.conf")).isPresent();
    assertThat(view.read("/etc/app/conf/b/y.conf")).isPresent();
    assertThat(view.list("var/log/app")).containsExactly("keep.txt");
  }

  @Test
  void addDownloadsAUrlAndChecksItsDigest() throws Exception {
    byte[] body = "remote content\n".getBytes(StandardCharsets.UTF_8);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/files/tool.txt",
        exchange -> {
          exchange.getResponseHeaders().add("Last-Modified", "Tue, 14 Nov 2023 22:13:20 GMT");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/files/tool.txt";
    RootfsView view =
        build("ADD --checksum=" + Digest.sha256(body) + " " + url + " /opt/\n", Map.of());
    Path file = view.lookup("opt/tool.txt").orElseThrow();
    assertThat(Files.readAllBytes(file)).isEqualTo(body);
    assertThat(mode(file)).isEqualTo(0600);
  }

  @Test
  void addRefusesADownloadWhoseChecksumDiffers() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/x",
        exchange -> {
          exchange.sendResponseHeaders(200, 3);
          exchange.getResponseBody().write("abc".getBytes(StandardCharsets.UTF_8));
          exchange.close();
        });
    server.start();
    String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/x";
    Path ctx =
        TestBuilds.context(
            tmp.resolve("ctx/app"),
            "FROM strata-test/busybox:1\nADD --checksum="
                + Digest.sha256("other")
                + " "
                + url
                + " /x\n",
            Map.of());
    assertThatThrownBy(() -> TestBuilds.buildOne(store, ctx, Optional.empty()))
        .isInstanceOf(BuildException.class)
        .hasMessageContaining("Containerfile:2:")
        .hasMessageContaining("checksum mismatch");
  }

  @Test
  void copyFromAnImageInTheStoreKeepsItsOwnersAndMakesTheDestination() throws Exception {
    RootfsView view =
        build(
            "COPY --from=strata-test/busybox:1 /var /copied-var\n"
                + "COPY --from=strata-test/busybox:1 /srv /empty-srv\n",
            Map.of());
    Path www = view.lookup("copied-var/www").orElseThrow();
    assertThat(Files.getAttribute(www, "unix:uid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(33);
    Path empty = view.lookup("empty-srv").orElseThrow();
    assertThat(Files.isDirectory(empty)).isTrue();
    assertThat(mode(empty)).isEqualTo(0755);
  }
}
