package dev.strata.cli;

import dev.strata.bridge.rootfs.RootfsView;
import dev.strata.catalog.Catalog;
import dev.strata.catalog.CatalogException;
import dev.strata.catalog.DiskImage;
import dev.strata.catalog.StoredBuild;
import dev.strata.disk.bib.BibBackend;
import dev.strata.disk.bib.BibInvocation;
import dev.strata.disk.build.DiskLayout;
import dev.strata.disk.build.DiskOutput;
import dev.strata.disk.build.DiskRequest;
import dev.strata.disk.build.DiskResult;
import dev.strata.disk.build.DiskType;
import dev.strata.disk.build.NativeDiskBuilder;
import dev.strata.disk.config.ByteSize;
import dev.strata.disk.config.DiskConfig;
import dev.strata.disk.image.StoredImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code strata disk}: bootable disk images of a built image. */
@Command(
    name = "disk",
    description = {
      "Make bootable UEFI disk images of a bootc image. The native backend needs no loop device,",
      "mount or podman: GPT on a sparse file (1 MiB BIOS boot, ESP, root ext4 filling the disk),",
      "ext4 written natively from the image's layers, systemd-boot on the ESP with root=PARTUUID=,",
      "fresh machine-id, UUIDs and SSH host keys per disk, users from bootc-image-builder's config;",
      "qemu-img converts to qcow2, vmdk and vhd. Outputs go where bootc-image-builder puts them",
      "(qcow2/disk.qcow2, image/disk.raw, vmdk/disk.vmdk, vpc/disk.vhd) with SHA256SUMS and",
      "manifest-strata.json. When the store has a catalog, the disks are recorded on the last",
      "build of the image's digest (as strata build records its disks). --backend bib runs",
      "bootc-image-builder in podman instead.",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  strata disk db-server --type qcow2 --config config.toml",
      "  strata disk localhost:5000/corp/web-server:latest --type raw,vmdk --size 10GiB --output out",
      "  strata disk --from-rootfs /tmp/rootfs --type qcow2      # a flattened rootfs folder",
      "  strata disk db-server --type qcow2 --backend bib        # bootc-image-builder via podman",
      "",
      "Native images need root (some rootfs files are readable only by root).",
      "STRATA_EXT4_WRITER=mkfs uses mkfs.ext4 -d and debugfs for the root filesystem instead.",
      "Exit codes: 0 ok, 1 the build failed, 2 bad arguments or config."
    },
    mixinStandardHelpOptions = true)
final class DiskCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(
      arity = "0..1",
      paramLabel = "NODE|REF",
      description = "The image: a node of strata.yaml or a stored reference.")
  String image;

  @Option(
      names = "--from-rootfs",
      paramLabel = "DIR",
      description = "Build from a flattened rootfs folder instead of a stored image (native only).")
  Path fromRootfs;

  @Option(
      names = "--type",
      paramLabel = "TYPES",
      required = true,
      description = "qcow2, raw, vmdk, vhd, ami; comma-separated or repeated.")
  List<String> types;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "bootc-image-builder's config.toml or config.json: users, kernel append, minimum sizes.")
  Path config;

  @Option(
      names = "--size",
      paramLabel = "SIZE",
      description =
          "Total disk size, e.g. 10GiB (default: twice the content, at least the config's minsize).")
  String size;

  @Option(
      names = "--esp-size",
      paramLabel = "SIZE",
      description = "EFI system partition size (default: 512MiB).")
  String espSize;

  @Option(
      names = "--output",
      paramLabel = "DIR",
      description = "Output folder (default: ./output).")
  Path output = Path.of("output");

  @Option(
      names = "--backend",
      paramLabel = "native|bib",
      description = "native (default) or bib (bootc-image-builder in podman).")
  String backend = "native";

  @Option(
      names = "--bib-image",
      paramLabel = "IMAGE",
      description = "The bootc-image-builder image for --backend bib.")
  String bibImage = BibInvocation.DEFAULT_BUILDER;

  @Option(
      names = "--rootfs-type",
      paramLabel = "FS",
      description = "Root filesystem for --backend bib (bib's --rootfs: ext4, xfs, btrfs).")
  String rootfsType;

  @CommandLine.Mixin ImageArgument images;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Set<DiskType> diskTypes;
    DiskConfig diskConfig;
    OptionalLong sizeBytes;
    long espBytes;
    try {
      if ((image == null) == (fromRootfs == null)) {
        throw new IllegalArgumentException("give either NODE|REF or --from-rootfs DIR");
      }
      diskTypes = DiskType.parseList(types);
      diskConfig = config == null ? DiskConfig.EMPTY : DiskConfig.read(config);
      sizeBytes =
          size == null ? OptionalLong.empty() : OptionalLong.of(ByteSize.parse(size, "--size"));
      espBytes =
          espSize == null ? DiskLayout.DEFAULT_ESP_BYTES : ByteSize.parse(espSize, "--esp-size");
      if (!backend.equals("native") && !backend.equals("bib")) {
        throw new IllegalArgumentException(
            "--backend must be native or bib, not '" + backend + "'");
      }
    } catch (IllegalArgumentException e) {
      StrataCommand.printError(spec.commandLine(), "error: " + e.getMessage());
      return ErrorReporter.USAGE;
    }
    if (backend.equals("bib")) {
      return bib(diskTypes, out);
    }
    NativeDiskBuilder.requireRoot(); // before an image is opened: that may extract its layers
    NativeDiskBuilder builder =
        new NativeDiskBuilder(
            step -> {
              out.println("disk: " + step);
              out.flush();
            });
    DiskResult result;
    if (fromRootfs != null) {
      result =
          builder.build(
              request(
                  fromRootfs, fromRootfs.toString(), diskTypes, diskConfig, sizeBytes, espBytes));
    } else {
      StoredImage stored = images.open(image);
      Files.createDirectories(output);
      // read through the layers the store keeps extracted (extracting the missing ones), never
      // flattened: the native writer merges them as overlay would
      try (ImageRootfs rootfs = ImageRootfs.open(stored, output.toAbsolutePath())) {
        String ref = stored.ref() + "@" + stored.manifestDescriptor().digest();
        result =
            builder.build(
                new DiskRequest(
                    rootfs.view(),
                    ref,
                    diskTypes,
                    diskConfig,
                    sizeBytes,
                    espBytes,
                    output,
                    stored.uncompressedSize()));
      }
      recordInCatalog(stored, result, out);
    }
    for (DiskOutput o : result.outputs()) {
      out.println(
          o.type().typeName()
              + "\t"
              + o.file()
              + "\t"
              + ByteSize.format(o.size())
              + "\tsha256:"
              + o.sha256());
    }
    out.println("manifest\t" + result.manifest());
    out.flush();
    return 0;
  }

  /**
   * Adds the disks to the store's catalog, when it has one, on the last recorded build of the
   * image's digest (as {@code strata build} adds the disks it makes). The disks are made either
   * way: a catalog that cannot take them is reported, not fatal.
   */
  private void recordInCatalog(StoredImage stored, DiskResult result, PrintWriter out) {
    Path file = stored.store().root().resolve(Catalog.FILE_NAME);
    if (!Files.isRegularFile(file)) {
      return;
    }
    String digest = stored.manifestDescriptor().digest().toString();
    try (Catalog catalog = Catalog.open(stored.store().root())) {
      Optional<StoredBuild> build = catalog.latestBuildOfDigest(digest);
      if (build.isEmpty()) {
        out.println("disk: catalog: no build of " + digest + " is recorded; disks not recorded");
        return;
      }
      for (DiskImage disk : DiskRecords.of(result.outputs())) {
        catalog.addDisk(build.get().id(), disk);
      }
      out.println("disk: recorded on " + build.get().id() + " in the catalog");
    } catch (CatalogException e) {
      out.println("disk: catalog: disks not recorded: " + e.getMessage());
    }
  }

  private DiskRequest request(
      Path rootfs, String ref, Set<DiskType> t, DiskConfig c, OptionalLong s, long esp) {
    return new DiskRequest(
        RootfsView.ofDirectories(List.of(rootfs)), ref, t, c, s, esp, output, OptionalLong.empty());
  }

  private int bib(Set<DiskType> diskTypes, PrintWriter out) throws IOException {
    if (fromRootfs != null || size != null || espSize != null) {
      StrataCommand.printError(
          spec.commandLine(),
          "error: --backend bib builds from a stored image only and sizes the disk itself; drop"
              + " --from-rootfs/--size/--esp-size (use [[customizations.filesystem]] minsize in"
              + " the config)");
      return ErrorReporter.USAGE;
    }
    String ref = images.reference(image);
    images.open(image); // fails early, naming the store, when the image is not there
    BibInvocation invocation =
        new BibInvocation(
            images.openStore().root(),
            ref,
            diskTypes,
            Optional.ofNullable(config),
            output,
            bibImage,
            Optional.ofNullable(rootfsType));
    BibBackend.run(
        invocation,
        line -> {
          out.println(line);
          out.flush();
        });
    return 0;
  }

  static void deleteTree(Path path) throws IOException {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
