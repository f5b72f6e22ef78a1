package dev.strata.disk.bib;

import dev.strata.disk.build.DiskType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The commands that make disk images with bootc-image-builder instead of natively: copy the image
 * from Strata's OCI store into podman's container storage (BIB reads only that), then run BIB
 * rootful and privileged with the config, the output folder and the storage mounted, one {@code
 * --type} per type (BIB takes no comma lists). Built as data so it can be printed exactly and
 * tested without podman.
 */
public record BibInvocation(
    Path store,
    String imageRef,
    Set<DiskType> types,
    Optional<Path> config,
    Path outputDir,
    String builderImage,
    Optional<String> rootfsType) {
  /** The builder image the README of bootc-image-builder runs. */
  public static final String DEFAULT_BUILDER = "quay.io/centos-bootc/bootc-image-builder:latest";

  static final String STORAGE = "/var/lib/containers/storage";

  public BibInvocation {
    types = Set.copyOf(new LinkedHashSet<>(types));
  }

  /** {@code skopeo copy oci:STORE:REF containers-storage:REF}. */
  public List<String> copyToContainerStorage() {
    return List.of(
        "skopeo",
        "copy",
        "oci:" + store.toAbsolutePath() + ":" + imageRef,
        "containers-storage:" + imageRef);
  }

  /** The {@code podman run} of bootc-image-builder. */
  public List<String> podmanRun() {
    List<String> cmd = new ArrayList<>();
    cmd.addAll(
        List.of(
            "podman",
            "run",
            "--rm",
            "--privileged",
            "--pull=newer",
            "--security-opt",
            "label=type:unconfined_t"));
    config.ifPresent(
        c -> {
          String inside =
              c.getFileName().toString().endsWith(".json") ? "/config.json" : "/config.toml";
          cmd.addAll(List.of("-v", c.toAbsolutePath() + ":" + inside + ":ro"));
        });
    cmd.addAll(List.of("-v", outputDir.toAbsolutePath() + ":/output"));
    cmd.addAll(List.of("-v", STORAGE + ":" + STORAGE));
    cmd.add(builderImage);
    // BIB's own order: types in the order given, ami and raw both counted once each as BIB does
    for (DiskType type : orderedTypes()) {
      cmd.addAll(List.of("--type", type.typeName()));
    }
    rootfsType.ifPresent(fs -> cmd.addAll(List.of("--rootfs", fs)));
    cmd.add(imageRef);
    return cmd;
  }

  /** Both commands as shell lines, each word quoted when it needs it. */
  public String render() {
    return ShellWords.join(copyToContainerStorage()) + "\n" + ShellWords.join(podmanRun()) + "\n";
  }

  private List<DiskType> orderedTypes() {
    List<DiskType> out = new ArrayList<>();
    for (DiskType t : DiskType.values()) {
      if (types.contains(t)) {
        out.add(t);
      }
    }
    return out;
  }
}
