package dev.strata.bridge.build.copy;

import dev.strata.bridge.rootfs.Owner;
import dev.strata.bridge.tar.CompressionFormat;
import dev.strata.bridge.tar.EntryType;
import dev.strata.bridge.tar.TarEntry;
import dev.strata.bridge.tar.TarReader;
import dev.strata.bridge.tar.UnsafeEntryException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;

/**
 * A local tar (plain, gzip or zstd) that ADD unpacks into its destination. Entries keep the
 * archive's owners, modes, links, xattrs and mtimes; any entry whose name is absolute, climbs with
 * {@code ..} or is a whiteout is refused, so an archive can never write outside the destination or
 * delete from the image.
 */
final class ArchiveSource {
  private final Path scratch;

  ArchiveSource(Path scratch) {
    this.scratch = scratch;
  }

  /**
   * Whether ADD unpacks {@code file}: a tar, plain, gzip or zstd, as BuildKit's ADD (bzip2 and xz
   * archives are refused).
   */
  static boolean isArchive(Path file) throws IOException, CopyException {
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(512);
    }
    if (CompressionFormat.of(head) != CompressionFormat.PLAIN) {
      try (InputStream in =
          CompressionFormat.decompressed(Files.newInputStream(file), file.toString())) {
        return isTarHeader(in.readNBytes(512));
      } catch (IOException e) {
        return false; // compressed, but not a tar (or damaged): copied as it is, as BuildKit does
      }
    }
    if (head.length >= 3 && head[0] == 'B' && head[1] == 'Z' && head[2] == 'h'
        || head.length >= 6 && (head[0] & 0xff) == 0xfd && head[1] == '7' && head[2] == 'z') {
      throw new CopyException(
          file.getFileName()
              + " is a bzip2 or xz archive, which ADD cannot unpack yet; use a .tar, .tar.gz or"
              + " .tar.zst");
    }
    return isTarHeader(head);
  }

  private static boolean isTarHeader(byte[] block) {
    if (block.length < 512) {
      return false;
    }
    String magic = new String(block, 257, 5, StandardCharsets.US_ASCII);
    return magic.equals("ustar");
  }

  void extract(Path archive, String written, String into, LayerDraft draft)
      throws IOException, CopyException {
    Map<String, Object> inodes = new HashMap<>();
    Map<String, Path> contents = new HashMap<>();
    int count = 0;
    try (InputStream in =
        CompressionFormat.decompressed(Files.newInputStream(archive), "archive " + written)) {
      TarReader reader = new TarReader(in);
      while (true) {
        TarEntry entry;
        try {
          entry = reader.next();
        } catch (UnsafeEntryException e) {
          throw new CopyException("ADD refuses the archive " + written + ": " + e.getMessage());
        }
        if (entry == null) {
          break;
        }
        if (entry.path().equals(".")) {
          if (!into.isEmpty() && entry.type() == EntryType.DIRECTORY) {
            // the archive's own root entry sets the destination's metadata, as tar does
            draft.put(
                new TarEntry(
                    into,
                    EntryType.DIRECTORY,
                    entry.mode(),
                    entry.uid(),
                    entry.gid(),
                    entry.mtime(),
                    0,
                    null,
                    0,
                    0,
                    entry.xattrs()),
                null,
                null,
                null);
          }
          continue;
        }
        String name = entry.path().substring(entry.path().lastIndexOf('/') + 1);
        if (name.startsWith(".wh.")) {
          throw new CopyException(
              "ADD refuses the archive "
                  + written
                  + ": entry '"
                  + entry.path()
                  + "' is a whiteout, which would delete files from the image");
        }
        String to = into.isEmpty() ? entry.path() : into + "/" + entry.path();
        // buildah leaves an unpacked archive's owners alone even with --chown
        Owner owner = new Owner(entry.uid(), entry.gid());
        Path content = null;
        Object inode = null;
        EntryType type = entry.type();
        long size = entry.size();
        String link = entry.linkTarget();
        if (type == EntryType.REGULAR && size > 0) {
          content = scratch.resolve("archive-" + (count++));
          Files.copy(reader.content(), content, StandardCopyOption.REPLACE_EXISTING);
        }
        if (type == EntryType.HARDLINK) {
          String target = into.isEmpty() ? link : into + "/" + link;
          TarEntry first = draft.get(target);
          if (first == null || first.type() != EntryType.REGULAR) {
            throw new CopyException(
                "ADD refuses the archive "
                    + written
                    + ": hardlink '"
                    + entry.path()
                    + "' points at '"
                    + link
                    + "', which is not a file earlier in the archive");
          }
          inode = inodes.computeIfAbsent(target, k -> new Object());
          // Re-put the target with the shared identity; the link copies its header.
          draft.put(first, contents.get(target), null, inode);
          TarEntry linked =
              new TarEntry(
                  to,
                  EntryType.REGULAR,
                  first.mode(),
                  first.uid(),
                  first.gid(),
                  first.mtime(),
                  first.size(),
                  null,
                  0,
                  0,
                  first.xattrs());
          draft.put(linked, contents.get(target), null, inode);
          continue;
        }
        TarEntry placed =
            new TarEntry(
                to,
                type,
                entry.mode(),
                owner.uid(),
                owner.gid(),
                entry.mtime(),
                size,
                link,
                entry.devMajor(),
                entry.devMinor(),
                entry.xattrs());
        draft.put(placed, content, null, null);
        contents.put(to, content);
      }
    }
  }
}
