package dev.strata.bridge.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.bridge.fs.Posix;
import dev.strata.bridge.oci.Descriptor;
import dev.strata.bridge.oci.Digest;
import dev.strata.bridge.store.OciLayoutStore;
import dev.strata.graph.DerivationGraph;
import dev.strata.graph.GraphBuilder;
import dev.strata.graph.plan.LockFile;
import dev.strata.graph.project.ProjectConfig;
import dev.strata.graph.project.ProjectLoader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Fixtures for engine tests: a small busybox-static root filesystem made here (no network image
 * exists) and imported with {@link ImageImporter}, and one-call builds of a context folder.
 */
public final class TestBuilds {
  public static final String BASE = "strata-test/busybox:1";

  private TestBuilds() {}

  public static void requireRoot() {
    assertThat(Posix.isRoot())
        .as(
            "engine tests extract layers in overlay form (whiteout devices, trusted xattrs): run as root, as CI does")
        .isTrue();
  }

  /**
   * A root filesystem tar: busybox with a few links, /etc/passwd and /etc/group with users app
   * (1000:1001) and www (33:33), /tmp 1777, /srv 0750 owned 1000:1000, /lib a symlink to usr/lib.
   */
  public static byte[] baseRootfs() throws IOException, InterruptedException {
    Path busybox = Path.of("/bin/busybox");
    assertThat(busybox).as("busybox-static (scripts/setup-machine.sh installs it)").exists();
    Path dir = Files.createTempDirectory("strata-rootfs-");
    try {
      run(dir, "mkdir", "-p", "bin", "etc", "tmp", "srv", "usr/lib", "usr/bin", "root", "var/www");
      Files.copy(busybox, dir.resolve("bin/busybox"));
      Files.createSymbolicLink(dir.resolve("bin/sh"), Path.of("busybox"));
      Files.createSymbolicLink(dir.resolve("lib"), Path.of("usr/lib"));
      Files.writeString(
          dir.resolve("etc/passwd"),
          "root:x:0:0:root:/root:/bin/sh\n"
              + "www:x:33:33:www:/var/www:/bin/sh\n"
              + "app:x:1000:1001:app:/home/app:/bin/sh\n");
      Files.writeString(
          dir.resolve("etc/group"), "root:x:0:\nwww:x:33:\napp:x:1001:\nstaff:x:50:app\n");
      Files.writeString(dir.resolve("usr/lib/os-release"), "ID=strata-test\n");
      run(dir, "chmod", "1777", "tmp");
      run(dir, "chmod", "0750", "srv", "root");
      run(dir, "chown", "1000:1000", "srv");
      run(dir, "chown", "33:33", "var/www");
      run(
          dir,
          "touch",
          "-d",
          "@1600000000",
          "bin/busybox",
          "etc/passwd",
          "etc/group",
          "tmp",
          "srv");
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      Process tar =
          new ProcessBuilder("tar", "-C", dir.toString(), "--numeric-owner", "-cf", "-", ".")
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      tar.getInputStream().transferTo(out);
      assertThat(tar.waitFor()).isZero();
      return out.toByteArray();
    } finally {
      run(Path.of("/"), "rm", "-rf", dir.toString());
    }
  }

  /** The buildah command line of an oracle test: vfs storage of its own under {@code dir}. */
  static List<String> buildah(Path dir) {
    return List.of(
        "buildah",
        "--storage-driver",
        "vfs",
        "--root",
        dir.resolve("root").toString(),
        "--runroot",
        dir.resolve("run").toString());
  }

  /** A store at {@code root} holding the test base image. */
  public static OciLayoutStore storeWithBase(Path root, Optional<Instant> sourceDateEpoch)
      throws IOException, InterruptedException {
    OciLayoutStore store = OciLayoutStore.open(root);
    new ImageImporter(store, new BuildClock(sourceDateEpoch))
        .importRootfs(new ByteArrayInputStream(baseRootfs()), BASE);
    return store;
  }

  /** Writes a context folder: a Containerfile with {@code containerfile} and the given files. */
  public static Path context(Path dir, String containerfile, Map<String, String> files)
      throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("Containerfile"), containerfile);
    for (Map.Entry<String, String> f : files.entrySet()) {
      Path file = dir.resolve(f.getKey());
      Files.createDirectories(file.getParent());
      Files.writeString(file, f.getValue(), StandardCharsets.UTF_8);
    }
    return dir;
  }

  /** Builds every node of the project in {@code dir} into {@code store}. */
  public static List<NodeResult> build(
      OciLayoutStore store, Path dir, Optional<Instant> sourceDateEpoch, Map<String, String> args)
      throws IOException {
    return build(store, dir, sourceDateEpoch, args, RunStep.UNAVAILABLE);
  }

  /** Builds every node of the project in {@code dir} into {@code store}, RUN by {@code runStep}. */
  static List<NodeResult> build(
      OciLayoutStore store,
      Path dir,
      Optional<Instant> sourceDateEpoch,
      Map<String, String> args,
      RunStep runStep)
      throws IOException {
    ProjectConfig project = ProjectLoader.load(dir);
    DerivationGraph graph = GraphBuilder.build(project, args);
    return builder(store, sourceDateEpoch, runStep)
        .build(graph, List.of(), LockFile.read(project.lockFile()));
  }

  /** An engine building into {@code store} without pulling, RUN by {@code runStep}, silently. */
  static ImageBuilder builder(
      OciLayoutStore store, Optional<Instant> sourceDateEpoch, RunStep runStep) {
    return new ImageBuilder(
        new ImageBuilder.Settings(
            store,
            PullPolicy.MISSING,
            ImageFetcher.NONE,
            runStep,
            new BuildClock(sourceDateEpoch),
            BuildListener.SILENT));
  }

  static NodeResult buildOne(OciLayoutStore store, Path dir, Optional<Instant> sde)
      throws IOException {
    List<NodeResult> results = build(store, dir, sde, Map.of());
    assertThat(results).hasSize(1);
    return results.get(0);
  }

  /** Every blob file name in the store, for "nothing written" assertions. */
  static List<String> blobs(OciLayoutStore store) throws IOException {
    try (var files = Files.list(store.root().resolve("blobs/sha256"))) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  static Digest digestOf(Descriptor d) {
    return d.digest();
  }

  static void run(Path dir, String... command) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(String.join(" ", command) + ": " + output).isZero();
  }
}
