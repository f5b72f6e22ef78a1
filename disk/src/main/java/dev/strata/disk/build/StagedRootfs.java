package dev.strata.disk.build;

import dev.strata.bridge.fs.Posix;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The rootfs a disk image is made from, after the per-disk changes. Either the flattened image
 * itself (when the builder owns that copy) or a hardlink farm of it ({@code cp -al}, falling back
 * to {@code cp -a} across filesystems), so the source is never modified. Every change therefore
 * writes a new file and renames it over the old name, never into an existing inode, and resolves
 * paths like a chroot: a symlink in the image is followed inside the rootfs, never on the host.
 */
public final class StagedRootfs {
  private static final int MAX_SYMLINKS = 40;

  private final Path root;

  private StagedRootfs(Path root) {
    this.root = root;
  }

  /** Uses {@code rootfs} itself; the caller gives up that copy. */
  public static StagedRootfs inPlace(Path rootfs) {
    return new StagedRootfs(rootfs);
  }

  /** A staging copy of {@code source} at {@code stage} (which must not exist yet). */
  public static StagedRootfs copyOf(Path source, Path stage) throws IOException {
    if (Files.exists(stage, LinkOption.NOFOLLOW_LINKS)) {
      throw new DiskBuildException("staging folder " + stage + " already exists");
    }
    Files.createDirectories(stage.getParent());
    try {
      HostTool.CP.run("-a", "-l", "--", source.toString(), stage.toString());
    } catch (DiskBuildException crossDevice) {
      deleteTree(stage);
      HostTool.CP.run("-a", "--", source.toString(), stage.toString());
    }
    return new StagedRootfs(stage);
  }

  public Path root() {
    return root;
  }

  /**
   * The host path of the image path {@code imagePath} (absolute, like {@code /etc/fstab}), with
   * every symlink before the last component resolved inside the rootfs.
   */
  public Path resolve(String imagePath) throws IOException {
    return resolve(imagePath, 0);
  }

  private Path resolve(String imagePath, int depth) throws IOException {
    if (depth > MAX_SYMLINKS) {
      throw new DiskBuildException("too many symlinks resolving " + imagePath + " in the image");
    }
    Path current = root;
    String[] parts = imagePath.split("/");
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        current = current.equals(root) ? root : current.getParent();
        continue;
      }
      Path next = current.resolve(part);
      boolean last = i == parts.length - 1;
      if (!last && Files.isSymbolicLink(next)) {
        String target = Files.readSymbolicLink(next).toString();
        String base = target.startsWith("/") ? "" : "/" + root.relativize(current);
        StringBuilder rest = new StringBuilder(base).append('/').append(target);
        for (int j = i + 1; j < parts.length; j++) {
          rest.append('/').append(parts[j]);
        }
        return resolve(rest.toString(), depth + 1);
      }
      current = next;
    }
    return current;
  }

  /** Replaces (or creates) the file at {@code imagePath} with {@code content}, owner and mode. */
  public void write(String imagePath, byte[] content, int mode, int uid, int gid)
      throws IOException {
    Path target = resolve(imagePath);
    Files.createDirectories(target.getParent());
    Path temp = Files.createTempFile(target.getParent(), ".strata-", ".tmp");
    try {
      Files.write(temp, content);
      Posix.lchown(temp, uid, gid);
      Posix.chmod(temp, mode);
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Replaces a file keeping its current owner and mode (0644 root when it did not exist). */
  public void rewrite(String imagePath, byte[] content) throws IOException {
    Path target = resolve(imagePath);
    if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
      int mode =
          (Integer) Files.getAttribute(target, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
      int uid = (Integer) Files.getAttribute(target, "unix:uid", LinkOption.NOFOLLOW_LINKS);
      int gid = (Integer) Files.getAttribute(target, "unix:gid", LinkOption.NOFOLLOW_LINKS);
      write(imagePath, content, mode, uid, gid);
    } else {
      write(imagePath, content, 0644, 0, 0);
    }
  }

  /** The text of a regular file in the image, or empty if there is none. */
  public String read(String imagePath) throws IOException {
    Path p = resolve(imagePath);
    return Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) ? Files.readString(p) : "";
  }

  /** Creates a directory (and missing parents, root-owned 0755) with the given owner and mode. */
  public void mkdir(String imagePath, int mode, int uid, int gid) throws IOException {
    Path dir = resolve(imagePath);
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectories(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    }
    // a directory of a hardlink farm is always the stage's own copy, so changing it is safe
    Posix.lchown(dir, uid, gid);
    Posix.chmod(dir, mode);
  }

  /** Removes the name {@code imagePath} (not what it points to); true if it existed. */
  public boolean delete(String imagePath) throws IOException {
    Path p = resolve(imagePath);
    try {
      return Files.deleteIfExists(p);
    } catch (DirectoryNotEmptyException e) {
      throw new DiskBuildException(
          "cannot remove " + imagePath + " from the image: it is a folder with content");
    }
  }

  /** Removes a folder tree. */
  static void deleteTree(Path path) throws IOException {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (var walk = Files.walk(path)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
