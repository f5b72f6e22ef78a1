package dev.strata.disk.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.bridge.rootfs.RootfsView;
import dev.strata.bridge.store.OciLayoutStore;
import dev.strata.disk.lint.BootcLint;
import dev.strata.disk.lint.LintFinding;
import dev.strata.disk.lint.LintReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bootc lint read through an image's extracted layers (whiteouts as 0/0 devices, opaque
 * directories as xattrs; needs root, as the engine does) gives the report it gives on the same
 * image flattened. The upper layers delete, replace and hide what the base layer breaks, so a view
 * that ignored a whiteout or an opaque directory would report what the image no longer has.
 */
class LintThroughLayersTest {
  @TempDir Path tmp;

  private StoredImage image;

  @BeforeEach
  void threeLayers() throws IOException {
    Path base = tmp.resolve("l1");
    for (String dir : List.of("dev", "proc", "sys", "run", "tmp", "var/lib", "boot", "etc")) {
      Files.createDirectories(base.resolve(dir));
    }
    Files.createSymbolicLink(base.resolve("var/run"), Path.of("../run"));
    write(base, "usr/lib/modules/6.1.0-1-amd64/vmlinuz", "kernel");
    write(base, "usr/lib/modules/6.1.0-1-amd64/initramfs.img", "initramfs");
    write(base, "usr/lib/modules/6.1.0-0-amd64/vmlinuz", "old kernel");
    write(base, "usr/etc/passwd", "root:x:0:0::/root:/bin/sh\n");
    write(base, "boot/vmlinuz-6.1.0-0-amd64", "old kernel");
    write(base, "usr/lib/bootc/kargs.d/10-bad.toml", "kargs = [\"console=ttyS0\"\n");
    write(base, "etc/passwd", "root:x:0:0:root:/root:/bin/sh\nold:x:990:990::/:/bin/sh\n");
    write(base, "etc/group", "root:x:0:\n");
    write(base, "usr/lib/sysusers.d/basic.conf", "u root 0 \"Super User\" /root\n");
    write(base, "usr/lib/tmpfiles.d/var.conf", "L /var/run - - - - ../run\nd /var/lib\n");
    write(base, "var/log/old.log", "from the base\n");
    write(base, "var/cache/junk", "x");
    write(base, "var/lib/app/stale", "x");
    write(base, "run/stale.pid", "1");

    Path middle = tmp.resolve("l2");
    write(middle, "usr/.wh.etc", "");
    write(middle, "usr/lib/modules/.wh.6.1.0-0-amd64", "");
    write(middle, "boot/.wh.vmlinuz-6.1.0-0-amd64", "");
    write(middle, "usr/lib/bootc/kargs.d/.wh.10-bad.toml", "");
    write(middle, "usr/lib/bootc/kargs.d/20-console.toml", "kargs = [\"console=ttyS0\"]\n");
    write(middle, "var/log/.wh.old.log", "");
    write(middle, "var/log/apt/history.log", "Start-Date: now\n");
    write(middle, "run/.wh..wh..opq", "");
    write(middle, "run/new.pid", "2");
    write(middle, "etc/passwd", "root:x:0:0:root:/root:/bin/sh\npostgres:x:105:110::/:/bin/sh\n");
    write(middle, "var/lib/app/.wh..wh..opq", "");
    write(middle, "var/lib/app/db", "x");

    Path top = tmp.resolve("l3");
    write(top, "var/.wh.cache", "");
    write(top, "tmp", "a file where a directory was");
    write(top, "etc/group", "root:x:0:\nssl-cert:x:111:\n");

    OciLayoutStore store = OciLayoutStore.open(tmp.resolve("store"));
    StoredImageTest.store(
        store, "corp/layered:latest", List.of(base, middle, top), Map.of("containers.bootc", "1"));
    image = StoredImage.open(store, "corp/layered:latest");
  }

  private static void write(Path layer, String rel, String text) throws IOException {
    Path p = layer.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  private LintReport throughLayers() throws IOException {
    return BootcLint.lint(new RootfsView(image.layers()), image.labels());
  }

  private LintReport flattened() throws IOException {
    Path rootfs = tmp.resolve("rootfs");
    image.flattenInto(rootfs);
    return BootcLint.lint(rootfs, image.labels());
  }

  @Test
  void theLayerStackGivesTheReportOfTheFlattenedImage() throws IOException {
    assertThat(throughLayers().findings()).isEqualTo(flattened().findings());
  }

  @Test
  void whatUpperLayersDeleteOrHideIsNotReported() throws IOException {
    LintReport report = throughLayers();
    // the second kernel, /usr/etc, /boot's kernel, the bad kargs file and /var/cache are whited out
    assertThat(report.of("kernel")).isEmpty();
    assertThat(report.of("etc-usretc")).isEmpty();
    assertThat(report.of("nonempty-boot")).isEmpty();
    assertThat(report.of("bootc-kargs")).isEmpty();
    // opaque /run and /var/lib/app show only the upper layer's content
    assertThat(report.of("run-content"))
        .singleElement()
        .extracting(LintFinding::paths)
        .asList()
        .containsExactly("/run/new.pid");
    assertThat(report.of("var-tmpfiles"))
        .singleElement()
        .extracting(LintFinding::paths)
        .asList()
        .containsExactly("/var/lib/app", "/var/log");
    assertThat(report.of("var-log"))
        .singleElement()
        .extracting(LintFinding::paths)
        .asList()
        .containsExactly("/var/log/apt/history.log");
  }

  @Test
  void whatUpperLayersReplaceIsReadFromTheTopmostLayer() throws IOException {
    LintReport report = throughLayers();
    assertThat(report.of("api-base-directories"))
        .singleElement()
        .extracting(LintFinding::paths)
        .asList()
        .containsExactly("/tmp");
    assertThat(report.of("sysusers"))
        .extracting(LintFinding::message)
        .satisfiesExactly(
            users ->
                assertThat(users).contains("1 users").contains("postgres").doesNotContain("old"),
            groups -> assertThat(groups).contains("1 groups").contains("ssl-cert"));
  }

  @Test
  void layersAreExtractedOnceIntoTheStoresLayerCache() throws IOException {
    assertThat(image.layersExtracted()).isFalse();
    List<Path> first = image.layers().directories();
    assertThat(image.layersExtracted()).isTrue();
    assertThat(image.layers().directories()).isEqualTo(first);
    assertThat(first).allSatisfy(dir -> assertThat(dir).startsWith(tmp.resolve("store")));
  }
}
