package dev.strata.disk.bib;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.disk.build.DiskType;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BibInvocationTest {
  final BibInvocation invocation =
      new BibInvocation(
          Path.of("/srv/strata"),
          "localhost:5000/corp/db-server:latest",
          new LinkedHashSet<>(List.of(DiskType.RAW, DiskType.QCOW2)),
          Optional.of(Path.of("/srv/builds/config.toml")),
          Path.of("/srv/builds/output"),
          BibInvocation.DEFAULT_BUILDER,
          Optional.of("ext4"));

  @Test
  void copiesTheImageIntoPodmansStorageFirst() {
    assertThat(invocation.copyToContainerStorage())
        .containsExactly(
            "skopeo",
            "copy",
            "oci:/srv/strata:localhost:5000/corp/db-server:latest",
            "containers-storage:localhost:5000/corp/db-server:latest");
  }

  @Test
  void runsBootcImageBuilderAsItsReadmeDoesWithOneTypeFlagPerType() {
    assertThat(String.join(" ", invocation.podmanRun()))
        .isEqualTo(
            "podman run --rm --privileged --pull=newer --security-opt label=type:unconfined_t"
                + " -v /srv/builds/config.toml:/config.toml:ro -v /srv/builds/output:/output"
                + " -v /var/lib/containers/storage:/var/lib/containers/storage"
                + " quay.io/centos-bootc/bootc-image-builder:latest"
                + " --type qcow2 --type raw --rootfs ext4 localhost:5000/corp/db-server:latest");
  }

  @Test
  void aJsonConfigIsMountedAsConfigJsonAndNoConfigMountsNothing() {
    BibInvocation json =
        new BibInvocation(
            Path.of("s"),
            "r:1",
            java.util.Set.of(DiskType.AMI),
            Optional.of(Path.of("/c/config.json")),
            Path.of("/o"),
            "b",
            Optional.empty());
    assertThat(json.podmanRun()).contains("/c/config.json:/config.json:ro");
    BibInvocation none =
        new BibInvocation(
            Path.of("s"),
            "r:1",
            java.util.Set.of(DiskType.AMI),
            Optional.empty(),
            Path.of("/o"),
            "b",
            Optional.empty());
    assertThat(String.join(" ", none.podmanRun())).doesNotContain("/config");
  }

  @Test
  void rendersPasteableShellLines() {
    BibInvocation spaced =
        new BibInvocation(
            Path.of("/my store"),
            "r:1",
            java.util.Set.of(DiskType.RAW),
            Optional.empty(),
            Path.of("/o"),
            "b",
            Optional.empty());
    assertThat(spaced.render())
        .startsWith("skopeo copy 'oci:/my store:r:1' containers-storage:r:1\npodman run ");
  }

  @Test
  void namesWhatIsMissingWithoutRunningAnything() {
    // whatever this machine has, the list names each missing part with what to do about it
    for (String missing : BibBackend.missing()) {
      assertThat(missing).containsAnyOf("install", "root");
    }
  }
}
