package dev.strata.disk.build;

import java.nio.file.Path;
import java.util.List;

/**
 * A finished disk build: the files written (one per type; raw and ami share one), the disk's
 * identifiers and layout, the kernel it boots, its command line, and the manifest written beside
 * the outputs ({@code manifest-strata.json}, plus {@code SHA256SUMS} for {@code sha256sum -c}).
 */
public record DiskResult(
    List<DiskOutput> outputs,
    DiskIdentity ids,
    DiskLayout layout,
    KernelImage kernel,
    String kernelCommandLine,
    Path manifest) {
  public DiskResult {
    outputs = List.copyOf(outputs);
  }

  /** The output of {@code type}. */
  public DiskOutput output(DiskType type) {
    return outputs.stream()
        .filter(o -> o.type() == type)
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no " + type.typeName() + " output"));
  }
}
