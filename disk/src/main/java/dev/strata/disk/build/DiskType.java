package dev.strata.disk.build;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The disk image formats, with bootc-image-builder's output paths and the {@code qemu-img convert}
 * arguments that make each from the raw disk. {@code ami} is the raw disk, ready for snapshot
 * import.
 */
public enum DiskType {
  QCOW2("qcow2/disk.qcow2", List.of("-O", "qcow2", "-o", "compat=1.1")),
  RAW("image/disk.raw", List.of()),
  AMI("image/disk.raw", List.of()),
  VMDK("vmdk/disk.vmdk", List.of("-O", "vmdk", "-o", "subformat=streamOptimized")),
  VHD("vpc/disk.vhd", List.of("-O", "vpc", "-o", "subformat=fixed,force_size"));

  private final String outputPath;
  private final List<String> convertArgs;

  DiskType(String outputPath, List<String> convertArgs) {
    this.outputPath = outputPath;
    this.convertArgs = convertArgs;
  }

  /** The name on the command line and in bootc-image-builder's {@code --type}. */
  public String typeName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Where the image goes below the output folder, as bootc-image-builder puts it. */
  public String outputPath() {
    return outputPath;
  }

  /** Whether this type is the raw disk itself. */
  public boolean isRaw() {
    return convertArgs.isEmpty();
  }

  List<String> convertArgs() {
    return convertArgs;
  }

  /** Parses {@code qcow2,raw} (commas and repeats allowed), keeping the order given. */
  public static Set<DiskType> parseList(List<String> values) {
    Set<DiskType> out = new LinkedHashSet<>();
    for (String value : values) {
      for (String part : value.split(",")) {
        String name = part.strip().toLowerCase(Locale.ROOT);
        if (name.isEmpty()) {
          continue;
        }
        out.add(byName(name));
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("no disk type given; use --type qcow2,raw,vmdk,vhd,ami");
    }
    return out;
  }

  /** The type called {@code name}. */
  public static DiskType byName(String name) {
    List<String> names = new ArrayList<>();
    for (DiskType t : values()) {
      if (t.typeName().equals(name)) {
        return t;
      }
      names.add(t.typeName());
    }
    throw new IllegalArgumentException(
        "unknown disk type '" + name + "' (one of " + String.join(", ", names) + ")");
  }
}
