package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.bridge.oci.Descriptor;
import dev.strata.bridge.oci.ImageManifest;
import dev.strata.bridge.oci.MediaTypes;
import dev.strata.bridge.store.OciLayoutStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --compression} and strata.yaml's {@code compression:} choose the media type of the layers
 * {@code strata build} and {@code strata import} write; the flag wins over the file; a change of
 * compression rebuilds; a bad value is a usage error.
 */
class CompressionOptionTest {
  @TempDir Path tmp;
  private Path store;
  private Path project;
  private Path rootfsTar;

  @BeforeEach
  void setUp() throws Exception {
    store = tmp.resolve("store");
    Path rootfs = tmp.resolve("rootfs");
    Files.createDirectories(rootfs.resolve("etc"));
    Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
    rootfsTar = tmp.resolve("rootfs.tar");
    run("tar", "-C", rootfs.toString(), "-cf", rootfsTar.toString(), ".");
    project = tmp.resolve("project");
    Files.createDirectories(project.resolve("base"));
    Files.writeString(
        project.resolve("base/Containerfile"), "FROM corp/rootfs:1\nCOPY motd /etc/motd\n");
    Files.writeString(project.resolve("base/motd"), "welcome\n");
    writeProjectFile("");
  }

  private void writeProjectFile(String extra) throws Exception {
    Files.writeString(
        project.resolve("strata.yaml"),
        extra + "images:\n  base: { containerfile: base/Containerfile }\n");
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).inheritIO().start();
    assertThat(p.waitFor()).as(String.join(" ", command)).isZero();
  }

  private CliRun strata(String... args) {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--store";
    all[args.length + 1] = store.toString();
    return CliRun.of(all);
  }

  private void importBase(String... options) {
    String[] args = new String[options.length + 3];
    args[0] = "import";
    System.arraycopy(options, 0, args, 1, options.length);
    args[options.length + 1] = rootfsTar.toString();
    args[options.length + 2] = "corp/rootfs:1";
    CliRun run = strata(args);
    assertThat(run.exitCode()).as(run.err()).isZero();
  }

  private List<String> layerTypes(String reference) throws Exception {
    OciLayoutStore opened = OciLayoutStore.open(store);
    Descriptor manifest = opened.resolve(reference).orElseThrow();
    return ImageManifest.parse(opened.readBlob(manifest.digest())).layers().stream()
        .map(Descriptor::mediaType)
        .toList();
  }

  @Test
  void theFlagSelectsZstdLayers() throws Exception {
    importBase();
    CliRun run = strata("build", "--compression", "zstd", project.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(layerTypes("base:latest"))
        .containsExactly(MediaTypes.LAYER_GZIP, MediaTypes.LAYER_ZSTD);
  }

  @Test
  void strataYamlSelectsZstdAndTheFlagOverridesItWithACacheMiss() throws Exception {
    importBase();
    writeProjectFile("compression: zstd\n");
    CliRun zstd = strata("build", project.toString());
    assertThat(zstd.exitCode()).as(zstd.err()).isZero();
    assertThat(layerTypes("base:latest")).last().isEqualTo(MediaTypes.LAYER_ZSTD);

    CliRun plan = strata("plan", "--compression", "gzip", project.toString());
    assertThat(plan.out()).contains("layer compression changed: zstd → gzip");
    CliRun gzip = strata("build", "--compression", "gzip", project.toString());
    assertThat(gzip.exitCode()).as(gzip.err()).isZero();
    assertThat(gzip.out()).contains("built 1, reused 0");
    assertThat(layerTypes("base:latest")).last().isEqualTo(MediaTypes.LAYER_GZIP);

    CliRun again = strata("build", project.toString());
    assertThat(again.out()).contains("built 0, reused 1");
  }

  @Test
  void importWritesAZstdLayerOnRequestAndReadsAZstdTarball() throws Exception {
    run("zstd", "-q", rootfsTar.toString(), "-o", tmp.resolve("rootfs.tar.zst").toString());
    rootfsTar = tmp.resolve("rootfs.tar.zst");
    importBase("--compression", "zstd");
    assertThat(layerTypes("corp/rootfs:1")).containsExactly(MediaTypes.LAYER_ZSTD);

    CliRun build = strata("build", project.toString());
    assertThat(build.exitCode()).as(build.err()).isZero();
    assertThat(layerTypes("base:latest"))
        .containsExactly(MediaTypes.LAYER_ZSTD, MediaTypes.LAYER_GZIP);
  }

  @Test
  void anUnknownCompressionIsAUsageError() {
    CliRun run = strata("build", "--compression", "xz", project.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .contains("--compression: unknown layer compression 'xz' (use gzip or zstd)");
  }

  @Test
  void anUnknownCompressionInStrataYamlIsAnInputErrorWithItsLine() throws Exception {
    writeProjectFile("compression: lz4\n");
    CliRun run = strata("build", project.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("strata.yaml:1:1", "unknown layer compression 'lz4'");
  }

  @Test
  void zstdWithTheBuildKitEngineIsAUsageError() {
    CliRun run =
        strata("build", "--engine", "buildkit", "--compression", "zstd", project.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("written by the native engine only");
  }
}
