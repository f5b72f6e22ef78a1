package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code strata build --runtime}: the same project built with runc, bubblewrap and unshare+chroot
 * gives the same layers (a USER's files, its HOME and groups, the network namespaces).
 */
class BuildRuntimesTest {
  static final String CONTAINERFILE =
      """
      FROM corp/rootfs:1
      RUN ["/bin/busybox", "--install", "-s", "/bin"]
      USER app
      WORKDIR /tmp
      RUN id > /tmp/id && echo "$HOME" > /tmp/home && touch /tmp/owned
      RUN --network=none ls /sys/class/net > /tmp/net-none
      """;

  @TempDir Path tmp;

  @Test
  void bwrapAndChrootBuildTheLayersRuncBuilds() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "RUN needs root; CI runs as root");
    Path busybox = Path.of("/bin/busybox");
    assumeTrue(Files.isExecutable(busybox), "needs busybox-static (setup script)");
    Path rootfs = tmp.resolve("rootfs");
    Files.createDirectories(rootfs.resolve("bin"));
    Files.createDirectories(rootfs.resolve("etc"));
    Files.copy(busybox, rootfs.resolve("bin/busybox"));
    Files.createSymbolicLink(rootfs.resolve("bin/sh"), Path.of("busybox"));
    Files.writeString(
        rootfs.resolve("etc/passwd"),
        "root:x:0:0:root:/root:/bin/sh\napp:x:1000:100::/home/app:/bin/sh\n");
    Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\nusers:x:100:\nwheel:x:10:app\n");
    Files.createDirectories(rootfs.resolve("tmp"));
    Process chmod = new ProcessBuilder("chmod", "1777", rootfs.resolve("tmp").toString()).start();
    assertThat(chmod.waitFor()).isZero();
    Path tarball = tmp.resolve("rootfs.tgz");
    Process tar =
        new ProcessBuilder("tar", "-C", rootfs.toString(), "-czf", tarball.toString(), ".")
            .inheritIO()
            .start();
    assertThat(tar.waitFor()).isZero();
    Path project = tmp.resolve("project");
    Files.createDirectories(project.resolve("app"));
    Files.writeString(project.resolve("app/Containerfile"), CONTAINERFILE);
    Files.writeString(
        project.resolve("strata.yaml"),
        "images:\n  app: { containerfile: app/Containerfile, image: app }\n");

    List<List<String>> diffIds = new ArrayList<>();
    for (String runtime : List.of("runc", "bwrap", "chroot")) {
      Path store = tmp.resolve("store-" + runtime);
      CliRun imported =
          CliRun.of("import", tarball.toString(), "corp/rootfs:1", "--store", store.toString());
      assertThat(imported.exitCode()).as(imported.err()).isZero();
      // SOURCE_DATE_EPOCH clamps the mtimes a RUN gives, so layers can be compared by digest.
      CliProcess built =
          CliProcess.run(
              tmp,
              Map.of("SOURCE_DATE_EPOCH", "1700000000"),
              "build",
              "--runtime",
              runtime,
              "--store",
              store.toString(),
              project.toString());
      assertThat(built.exitCode()).as(runtime + ": " + built.err() + built.out()).isZero();
      assertThat(built.out()).contains("built 1, reused 0, failed 0");
      diffIds.add(diffIds(store, "app"));
    }
    assertThat(diffIds.get(0)).hasSize(4);
    assertThat(diffIds.get(1)).as("bwrap vs runc").isEqualTo(diffIds.get(0));
    assertThat(diffIds.get(2)).as("chroot vs runc").isEqualTo(diffIds.get(0));
  }

  /** The uncompressed layer digests of the image tagged {@code name} in the store. */
  private static List<String> diffIds(Path store, String name) throws Exception {
    ObjectMapper json = new ObjectMapper();
    JsonNode index = json.readTree(store.resolve("index.json").toFile());
    for (JsonNode m : index.get("manifests")) {
      String ref = m.path("annotations").path("org.opencontainers.image.ref.name").asText();
      if (ref.startsWith(name)) {
        JsonNode manifest = json.readTree(blob(store, m.get("digest").asText()).toFile());
        JsonNode config =
            json.readTree(blob(store, manifest.get("config").get("digest").asText()).toFile());
        List<String> ids = new ArrayList<>();
        config.get("rootfs").get("diff_ids").forEach(d -> ids.add(d.asText()));
        return ids;
      }
    }
    throw new AssertionError("no image " + name + " in " + index);
  }

  private static Path blob(Path store, String digest) {
    return store.resolve("blobs").resolve(digest.replace(':', '/'));
  }
}
