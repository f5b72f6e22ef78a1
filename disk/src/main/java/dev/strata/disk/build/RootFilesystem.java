package dev.strata.disk.build;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The root ext4 filesystem, written by {@code mkfs.ext4 -d} straight into the root partition of the
 * disk file ({@code -E offset}), copying owners, modes, xattrs and hardlinks from the staged
 * rootfs. {@code nodiscard} keeps mke2fs from punching holes across the rest of the file; the
 * journal and inode tables are not zeroed ({@code lazy_*_init}) because the fresh sparse file
 * already reads as zeros there; {@code orphan_file} and {@code metadata_csum_seed} (defaults of
 * e2fsprogs 1.47) are left out so older kernels such as RHEL 9's can mount it.
 */
final class RootFilesystem {
  static final String LABEL = "root";

  private RootFilesystem() {}

  static void write(Path disk, DiskLayout layout, DiskIdentity ids, Path stage)
      throws DiskBuildException {
    long offset = layout.rootStart() * DiskLayout.SECTOR;
    long kib = layout.rootSectors() * DiskLayout.SECTOR / 1024;
    HostTool.MKFS_EXT4.run(
        List.of(
            "-q",
            "-F",
            "-t",
            "ext4",
            "-L",
            LABEL,
            "-U",
            ids.rootFsUuid().toString(),
            "-O",
            "^orphan_file,^metadata_csum_seed",
            "-E",
            "offset=" + offset + ",nodiscard,lazy_itable_init=1,lazy_journal_init=1,root_owner=0:0",
            "-d",
            stage.toString(),
            disk.toString(),
            kib + "k"),
        null,
        Map.of());
  }
}
