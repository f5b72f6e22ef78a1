package dev.strata.disk.build;

import dev.strata.bridge.fs.Posix;
import dev.strata.disk.config.ByteSize;
import dev.strata.disk.ext4.DirectoryTree;
import dev.strata.disk.ext4.FileTree;
import dev.strata.disk.ext4.TreeNode;
import dev.strata.disk.fat.FatTree;
import dev.strata.disk.partition.PartitionWriter;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * Makes bootable UEFI disk images from a flattened rootfs with no loop device, no mount and no copy
 * of the rootfs: create a sparse raw file, write the GPT, the ESP with Strata's own FAT32 writer
 * (systemd-boot, kernel, initramfs, one entry with {@code root=PARTUUID=}), then the root ext4 with
 * Strata's own writer from the rootfs read into memory with this disk's identity (fstab, empty
 * machine-id, SSH host keys removed, the config's users) applied to it; then {@code qemu-img
 * convert} to each other type. The raw file is checksummed while the root filesystem is written.
 * Outputs go where bootc-image-builder puts them, with a checksum manifest. Needs root: some files
 * of a rootfs are readable only by root.
 */
public final class NativeDiskBuilder {
  private final Consumer<String> progress;

  /** A builder reporting each step to {@code progress} (never a secret). */
  public NativeDiskBuilder(Consumer<String> progress) {
    this.progress = progress;
  }

  /** Fails unless this process is root, which native disk images need. */
  public static void requireRoot() throws DiskBuildException {
    if (!Posix.isRoot()) {
      throw new DiskBuildException(
          "native disk images need root: the rootfs has files only root may read;"
              + " run as root (or use --backend bib)");
    }
  }

  /** Builds every type of {@code request}; replaces earlier outputs of those types. */
  public DiskResult build(DiskRequest request) throws IOException {
    requireRoot();
    List<Path> layers = request.rootfs().layersBottomFirst();
    for (Path layer : layers) {
      if (!Files.isDirectory(layer)) {
        throw new DiskBuildException("rootfs " + layer + " is not a folder");
      }
    }
    boolean mkfs = RootFilesystem.useMkfs();
    if (mkfs && layers.size() != 1) {
      throw new DiskBuildException(
          "STRATA_EXT4_WRITER=mkfs needs a flattened rootfs folder, not an image's "
              + layers.size()
              + " layers; use the native writer or --from-rootfs");
    }
    Path flat = mkfs ? layers.get(0) : null;
    if (mkfs) {
      HostTool.MKFS_EXT4.require();
      HostTool.DEBUGFS.require();
    }
    if (request.types().stream().anyMatch(t -> !t.isRaw())) {
      HostTool.QEMU_IMG.require();
    }
    KernelImage kernel = KernelImage.find(request.rootfs());
    Path loader = SystemdBoot.loader(request.rootfs());
    Path output = Files.createDirectories(request.outputDir());
    Path work = Files.createTempDirectory(output, ".strata-disk-");
    DiskDigest digest = null;
    CompletableFuture<Void> espWritten = null;
    try {
      // The native writer reads the rootfs once, into memory; the read runs while the GPT and
      // the ESP are made and checksummed.
      CompletableFuture<FileTree> treeRead =
          mkfs ? null : CompletableFuture.supplyAsync(() -> readTree(layers));
      DiskIdentity ids = DiskIdentity.random();
      boolean hashRaw = !mkfs && request.types().stream().anyMatch(DiskType::isRaw);

      // With the size known before the rootfs is read (--size, or twice the image's layers), the
      // GPT is written first and the checksum starts at once, following each part of the disk as
      // it becomes final. Otherwise the file is only as long as the ESP's end until the content
      // is measured: the ESP's place does not depend on the disk size.
      DiskLayout planned = mkfs ? null : plannedLayout(request);
      DiskLayout espLayout =
          planned != null
              ? planned
              : DiskLayout.forRoot(DiskLayout.MIN_ROOT_BYTES, request.espBytes());
      Path raw = work.resolve("disk.raw");
      try (RandomAccessFile file = new RandomAccessFile(raw.toFile(), "rw")) {
        file.setLength(
            planned != null
                ? planned.totalBytes()
                : (espLayout.espEnd() + 1) * DiskLayout.SECTOR); // sparse
      }
      if (planned != null) {
        GptTable.write(raw, planned, ids);
        if (hashRaw) {
          digest = DiskDigest.start(raw);
          digest.finalUpTo(planned.espStart() * DiskLayout.SECTOR);
        }
      }

      // The ESP needs the kernel, the os-release and the kernel arguments, none of which this
      // disk's edits change: it is made on its own thread while they are recorded.
      RootfsEdits edits = new RootfsEdits(request.rootfs());
      String[] os = SystemdBoot.osIdentity(edits);
      String cmdline =
          KernelArguments.commandLine(
              ids.rootPartUuid().toString(),
              KernelArguments.fromImage(request.rootfs(), "x86_64"),
              request.config().kernelAppend().orElse(null));
      FatTree espTree = new FatTree();
      SystemdBoot.populate(espTree, loader, kernel, os[0], os[1], cmdline);
      progress.accept("EFI system partition: systemd-boot, " + kernel.version());
      DiskDigest espHash = digest;
      espWritten =
          CompletableFuture.runAsync(
              () -> {
                try {
                  // the checksum follows the ESP as it is written, then takes its free clusters
                  // up to the root partition as zeros
                  EspFilesystem.write(
                      raw,
                      espLayout,
                      ids,
                      espTree,
                      espHash == null ? (offset, length) -> {} : espHash::written);
                  if (espHash != null) {
                    espHash.finalUpTo(planned.rootStart() * DiskLayout.SECTOR);
                  }
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              },
              task -> new Thread(task, "esp").start());

      // The per-disk changes are recorded over the rootfs (never modified, never copied), then
      // applied to the tree the writer writes (or, after mkfs.ext4 -d, written with debugfs).
      FirstBootSetup.apply(edits, ids);
      UserAccounts.apply(edits, request.config().users());
      join(espWritten);

      FileTree tree = mkfs ? null : join(treeRead);
      ContentSize content = mkfs ? ContentSize.of(flat) : ContentSize.of(tree);
      DiskLayout layout = layout(request, content);
      if (layout.espStart() != espLayout.espStart()
          || layout.espSectors() != espLayout.espSectors()) {
        throw new IllegalStateException("the ESP moved with the disk size");
      }
      progress.accept(
          "disk "
              + ByteSize.format(layout.totalBytes())
              + " (root "
              + ByteSize.format(layout.rootSectors() * DiskLayout.SECTOR)
              + " for "
              + ByteSize.format(content.bytes())
              + " of content), kernel "
              + kernel.version());
      if (!layout.equals(planned)) {
        // the planned size did not hold the content (or there was none): the GPT moves, and
        // the checksum starts again
        if (digest != null) {
          digest.close();
          digest = null;
        }
        if (planned != null) {
          progress.accept("the image's layers understate its content: disk resized to fit it");
          zero(raw, planned.rootEnd() + 1, planned.totalSectors()); // the old backup GPT
        }
        try (RandomAccessFile file = new RandomAccessFile(raw.toFile(), "rw")) {
          file.setLength(layout.totalBytes()); // sparse
        }
        GptTable.write(raw, layout, ids);
        if (hashRaw) {
          digest = DiskDigest.start(raw);
          digest.finalUpTo(layout.rootStart() * DiskLayout.SECTOR);
        }
      }

      String identity =
          "this disk's identity (fstab, machine-id, SSH host keys, "
              + request.config().users().size()
              + " user(s))";
      if (mkfs) {
        progress.accept("root filesystem: mkfs.ext4 -d, then " + identity + " with debugfs");
        RootFilesystem.writeWithMkfs(raw, layout, ids, flat);
        edits.applyTo(raw, layout.rootStart() * DiskLayout.SECTOR, work);
      } else {
        progress.accept("root filesystem: ext4 of the rootfs with " + identity);
        edits.applyTo(tree, new TreeNode.Time(System.currentTimeMillis() / 1000, 0));
        PartitionWriter.Progress written =
            digest == null ? (offset, length) -> {} : digest::written;
        RootFilesystem.write(raw, layout, ids, tree, written);
      }

      List<DiskOutput> outputs = new ArrayList<>();
      Map<String, DiskOutput> byPath = new HashMap<>();
      for (DiskType type : request.types()) {
        if (type.isRaw()) {
          continue;
        }
        Path converted = work.resolve(type.typeName() + ".out");
        progress.accept(type.typeName() + ": qemu-img convert");
        List<String> args = new ArrayList<>(List.of("convert", "-f", "raw"));
        args.addAll(type.convertArgs());
        args.add(raw.toString());
        args.add(converted.toString());
        HostTool.QEMU_IMG.run(args, null, Map.of());
        outputs.add(place(converted, output, type, byPath, null));
      }
      String rawSha256 = digest == null ? null : digest.finish(layout.totalBytes());
      for (DiskType type : request.types()) {
        if (type.isRaw()) {
          outputs.add(place(raw, output, type, byPath, rawSha256));
        }
      }
      Path manifest =
          ChecksumManifest.write(
              output,
              request.imageRef(),
              outputs,
              ids,
              layout,
              kernel,
              cmdline,
              layers.stream().anyMatch(loader::startsWith)
                  ? "systemd-boot (image)"
                  : "systemd-boot (host)");
      return new DiskResult(outputs, ids, layout, kernel, cmdline, manifest);
    } finally {
      if (espWritten != null) {
        espWritten.exceptionally(e -> null).join(); // its failure, if any, was thrown already
      }
      if (digest != null) {
        digest.close();
      }
      deleteTree(work);
    }
  }

  /**
   * Moves a finished file to its bootc-image-builder path and checksums it (once per path) unless
   * its {@code sha256} is known already.
   */
  private DiskOutput place(
      Path file, Path output, DiskType type, Map<String, DiskOutput> byPath, String sha256)
      throws IOException {
    DiskOutput done = byPath.get(type.outputPath());
    if (done != null) {
      return new DiskOutput(type, done.file(), done.size(), done.sha256());
    }
    Path target = output.resolve(type.outputPath());
    Files.createDirectories(target.getParent());
    Files.move(file, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    if (sha256 == null) {
      progress.accept(type.typeName() + ": sha256 of " + output.relativize(target));
      sha256 = ChecksumManifest.sha256(target);
    }
    DiskOutput out = new DiskOutput(type, target, Files.size(target), sha256);
    byPath.put(type.outputPath(), out);
    return out;
  }

  private static FileTree readTree(List<Path> layers) {
    try {
      return DirectoryTree.read(layers);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The result of {@code task}, with the exception it failed with. */
  private static <T> T join(CompletableFuture<T> task) throws IOException {
    try {
      return task.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof UncheckedIOException io) {
        throw io.getCause();
      }
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }

  /**
   * The layout known before the rootfs is read: the one {@code --size} gives, or twice the image's
   * size when its layers tell it; null when only the content measured from the rootfs can size it.
   */
  static DiskLayout plannedLayout(DiskRequest request) throws DiskBuildException {
    if (request.sizeBytes().isPresent()) {
      return explicitLayout(request);
    }
    if (request.imageBytes().isEmpty()) {
      return null;
    }
    return DiskLayout.forRoot(
        wantedRoot(request, request.imageBytes().getAsLong()), request.espBytes());
  }

  /**
   * The final layout for {@code content}: bootc-image-builder's root of twice the image size (the
   * layers' sizes when they were given and account for every file read, else the content), at least
   * the config's minimum, and never less than the content needs; or the {@code --size} layout if
   * the content fits it.
   */
  static DiskLayout layout(DiskRequest request, ContentSize content) throws DiskBuildException {
    // ext4 metadata (inode tables, journal) and some room to write: never less than content + 20 %
    long needed = content.bytes() + content.bytes() / 5 + (64L << 20);
    if (request.sizeBytes().isEmpty()) {
      // a layer's gzip trailer counts modulo 4 GiB: layers that add up to less than the files
      // read from them were misread, and the content is the measure then
      long image =
          request.imageBytes().isPresent()
                  && request.imageBytes().getAsLong() >= content.fileBytes()
              ? request.imageBytes().getAsLong()
              : content.bytes();
      return DiskLayout.forRoot(Math.max(wantedRoot(request, image), needed), request.espBytes());
    }
    DiskLayout layout = explicitLayout(request);
    long root = layout.rootSectors() * DiskLayout.SECTOR;
    long floor = Math.max(needed, request.config().rootMinBytes());
    if (root < floor) {
      long least = DiskLayout.forRoot(floor, request.espBytes()).totalBytes();
      throw new DiskBuildException(
          "--size "
              + ByteSize.format(layout.totalBytes())
              + " is too small: the root filesystem needs at least "
              + ByteSize.format(floor)
              + "; use --size "
              + (least + (1L << 30) - 1) / (1L << 30)
              + "GiB or more");
    }
    return layout;
  }

  private static long wantedRoot(DiskRequest request, long imageBytes) {
    return Math.max(
        Math.max(2 * imageBytes, request.config().rootMinBytes()), DiskLayout.MIN_ROOT_BYTES);
  }

  private static DiskLayout explicitLayout(DiskRequest request) throws DiskBuildException {
    try {
      return DiskLayout.of(request.sizeBytes().getAsLong(), request.espBytes());
    } catch (IllegalArgumentException e) {
      throw new DiskBuildException(e.getMessage());
    }
  }

  /** Writes zeros over sectors {@code [from, to)} of {@code disk}. */
  private static void zero(Path disk, long from, long to) throws IOException {
    try (FileChannel file = FileChannel.open(disk, StandardOpenOption.WRITE)) {
      ByteBuffer zeros = ByteBuffer.allocate((int) ((to - from) * DiskLayout.SECTOR));
      long at = from * DiskLayout.SECTOR;
      while (zeros.hasRemaining()) {
        at += file.write(zeros, at);
      }
    }
  }

  /** Removes the work folder tree. */
  private static void deleteTree(Path path) throws IOException {
    if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (var walk = Files.walk(path)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
