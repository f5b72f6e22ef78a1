package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code disk:} on a node makes its disk images after a build only when the node's digest changed:
 * the first build makes them, a build with nothing changed makes none, and a change to the leaf
 * makes only the leaf's. The disks are real (qemu-img reads them) and recorded in the catalog.
 */
class BuildDiskTest {
  @TempDir Path tmp;

  @Test
  void disksAreMadeOnlyForNodesWhoseDigestChanged() throws Exception {
    ChainProject chain = ChainProject.create(tmp, null, null);
    Path yaml = chain.project().resolve("strata.yaml");
    Files.writeString(
        yaml, Files.readString(yaml).replace("image: soe }", "image: soe, disk: [raw] }"));
    chain.importRootfs();
    Path disks = tmp.resolve("disks");
    Path soeDisk = disks.resolve("soe/image/disk.raw");
    Path appDisk = disks.resolve("app/qcow2/disk.qcow2");

    CliRun first = build(chain, disks);
    assertThat(first.out()).contains("[soe] disk: digest changed", "[app] disk: digest changed");
    assertThat(soeDisk).isRegularFile();
    assertThat(appDisk).isRegularFile();
    assertThat(qemuImgFormat(appDisk)).isEqualTo("qcow2");
    FileTime soeMade = Files.getLastModifiedTime(soeDisk);
    FileTime appMade = Files.getLastModifiedTime(appDisk);

    CliRun unchanged = build(chain, disks);
    assertThat(unchanged.out())
        .contains("[soe] disk: unchanged", "[app] disk: unchanged")
        .doesNotContain("disk: digest changed");
    assertThat(Files.getLastModifiedTime(soeDisk)).isEqualTo(soeMade);
    assertThat(Files.getLastModifiedTime(appDisk)).isEqualTo(appMade);

    chain.write(chain.project(), "app/app.conf", "x=2\n");
    CliRun leafChanged = build(chain, disks);
    assertThat(leafChanged.out()).contains("[soe] disk: unchanged", "[app] disk: digest changed");
    assertThat(Files.getLastModifiedTime(soeDisk)).isEqualTo(soeMade);
    assertThat(Files.getLastModifiedTime(appDisk)).isNotEqualTo(appMade);

    CliRun show = chain.strata("catalog", "show", "app@2");
    assertThat(show.exitCode()).as(show.err()).isZero();
    assertThat(show.out()).contains("qcow2", appDisk.toString());
  }

  @Test
  void aDiskMadeByHandIsRecordedOnTheLastBuildOfTheImage() throws Exception {
    ChainProject chain = ChainProject.create(tmp.resolve("by-hand"), null, null);
    chain.importRootfs();
    build(chain, tmp.resolve("by-hand-disks"));
    Path out = tmp.resolve("by-hand-out");

    CliRun disk =
        chain.strata(
            "disk",
            "soe",
            "--project",
            chain.project().toString(),
            "--type",
            "raw",
            "--output",
            out.toString());

    assertThat(disk.exitCode()).as(disk.out() + disk.err()).isZero();
    assertThat(disk.out()).contains("disk: recorded on soe@1 in the catalog");
    CliRun show = chain.strata("catalog", "show", "soe@1");
    assertThat(show.exitCode()).as(show.err()).isZero();
    assertThat(show.out())
        .contains("raw", out.resolve("image/disk.raw").toAbsolutePath().toString());
  }

  @Test
  void theRootfsFlattenedForADiskIsRemovedAfterwards() throws Exception {
    ChainProject chain = ChainProject.create(tmp.resolve("leak"), null, null);
    chain.importRootfs();
    build(chain, tmp.resolve("leak-disks"));
    assertThat(tmp.resolve("leak-disks/app/qcow2/disk.qcow2")).exists();

    Path scratch = chain.store.resolve("tmp");
    try (var left = Files.exists(scratch) ? Files.list(scratch) : java.util.stream.Stream.empty()) {
      assertThat(left.toList()).isEmpty();
    }
  }

  private static CliRun build(ChainProject chain, Path disks) {
    CliRun run =
        chain.strata("build", "--disk-output", disks.toString(), chain.project().toString());
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    return run;
  }

  private static String qemuImgFormat(Path image) throws Exception {
    Process p =
        new ProcessBuilder("qemu-img", "info", "--output=json", image.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(out).isZero();
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(out).path("format").asText();
  }
}
