package dev.strata.bridge.tar;

import dev.strata.bridge.fs.Posix;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Extracts a layer into a directory exactly: every file type, hardlinks, symlinks (never followed,
 * dangling ones included), device nodes and fifos, numeric owners via {@code lchown}, permission
 * bits with setuid/setgid/sticky, xattrs with raw values, nanosecond mtimes, and whiteouts per
 * {@link WhiteoutMode}. Refuses entries that would land outside the target: absolute names, {@code
 * ..}, and paths or hardlink targets that pass through a symlink.
 */
public final class LayerExtractor {
  private static final String WHITEOUT = ".wh.";
  private static final String OPAQUE = ".wh..wh..opq";
  private static final String OVERLAY_OPAQUE_XATTR = "trusted.overlay.opaque";

  private final WhiteoutMode whiteouts;
  private final boolean applyOwners;

  /**
   * An extractor; {@code applyOwners} false leaves files owned by the current user (for non-root
   * use, where lchown to other ids fails).
   */
  public LayerExtractor(WhiteoutMode whiteouts, boolean applyOwners) {
    this.whiteouts = whiteouts;
    this.applyOwners = applyOwners;
  }

  /** An extractor that applies owners exactly when running as root. */
  public static LayerExtractor forCurrentUser(WhiteoutMode whiteouts) {
    return new LayerExtractor(whiteouts, Posix.isRoot());
  }

  /** Extracts a layer blob (gzip, zstd or plain tar) into {@code target} (created if missing). */
  public void extract(Path blob, Path target) throws IOException {
    try (InputStream tar = uncompressed(Files.newInputStream(blob), "layer " + blob)) {
      extract(new TarReader(tar), target);
    }
  }

  /**
   * The tar stream of a layer blob, gzipped, zstd-compressed or plain ({@code name} says which
   * layer in errors, e.g. of damaged data).
   */
  public static InputStream uncompressed(InputStream blob, String name) throws IOException {
    return CompressionFormat.decompressed(blob, name);
  }

  /** Extracts every entry {@code reader} yields into {@code target} (created if missing). */
  public void extract(TarReader reader, Path target) throws IOException {
    Extraction extraction = begin(target);
    for (TarEntry entry = reader.next(); entry != null; entry = reader.next()) {
      extraction.add(entry, reader.content());
    }
    extraction.finish();
  }

  /**
   * Starts extracting into {@code target} (created if missing) entries given one by one in archive
   * order, as a {@link TarReader} would yield them; {@link Extraction#finish()} ends it.
   */
  public Extraction begin(Path target) throws IOException {
    Files.createDirectories(target);
    return new Extraction(target);
  }

  /**
   * An extraction in progress. Entries come in archive order; a regular file's content comes from a
   * stream ({@link #add}) or is a file moved into place ({@link #adopt}): the tree is the same
   * either way, since every attribute is then set from the entry.
   */
  public final class Extraction {
    private final Path target;
    private final Set<String> written = new HashSet<>();
    private final List<TarEntry> directories = new ArrayList<>();

    private Extraction(Path target) {
      this.target = target;
    }

    /** Extracts {@code entry}; {@code content} is read for a regular file. */
    public void add(TarEntry entry, InputStream content) throws IOException {
      place(entry, dest -> Files.copy(content, dest), false);
    }

    /**
     * Extracts {@code entry}, a regular file's content being the file {@code source} itself,
     * renamed into the tree (copied when it cannot be renamed there); {@code source} must hold
     * exactly the entry's content. Other entries are extracted as by {@link #add}. The moved file's
     * own attributes are replaced by the entry's, its other xattrs removed.
     */
    public void adopt(TarEntry entry, Path source) throws IOException {
      place(
          entry,
          dest -> {
            try {
              Files.move(source, dest, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
              Files.copy(source, dest, LinkOption.NOFOLLOW_LINKS);
            }
          },
          true);
    }

    /** Sets the directories' attributes, deepest first; the tree is complete after it. */
    public void finish() throws IOException {
      // Directories last and deepest first: writing inside a directory changes its mtime.
      for (int i = directories.size() - 1; i >= 0; i--) {
        TarEntry dir = directories.get(i);
        Path dest = dir.path().equals(EntryPaths.ROOT) ? target : target.resolve(dir.path());
        applyAttributes(dest, dir, false);
      }
      directories.clear();
    }

    private void place(TarEntry entry, Content content, boolean adopted) throws IOException {
      String name = baseName(entry.path());
      if (name.startsWith(WHITEOUT)) {
        whiteout(target, entry, name, written);
        return;
      }
      if (entry.path().equals(EntryPaths.ROOT)) {
        if (entry.type() != EntryType.DIRECTORY) {
          throw new IOException("the archive's root entry is a " + entry.type() + ", not a dir");
        }
        directories.add(entry);
        return;
      }
      Path dest = resolve(target, entry.path(), entry.path());
      boolean existingDir = Files.isDirectory(dest, LinkOption.NOFOLLOW_LINKS);
      if (!(existingDir && entry.type() == EntryType.DIRECTORY)) {
        deleteRecursively(dest);
      }
      switch (entry.type()) {
        case DIRECTORY -> {
          if (!existingDir) {
            Files.createDirectory(dest);
          }
          directories.add(entry);
        }
        case REGULAR -> {
          content.placeAt(dest);
          applyAttributes(dest, entry, adopted);
        }
        case SYMLINK -> {
          Files.createSymbolicLink(dest, Path.of(entry.linkTarget()));
          applyAttributes(dest, entry, false);
        }
        case HARDLINK -> {
          Path existing = resolve(target, entry.linkTarget(), entry.path());
          if (!Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(
                "hardlink "
                    + entry.path()
                    + " points at "
                    + entry.linkTarget()
                    + ", which is not in the layer or below it");
          }
          // link(2) does not follow a symlink target, so a hardlinked symlink stays a symlink.
          Files.createLink(dest, existing);
        }
        case CHAR_DEVICE, BLOCK_DEVICE, FIFO -> {
          int kind =
              switch (entry.type()) {
                case CHAR_DEVICE -> Posix.S_IFCHR;
                case BLOCK_DEVICE -> Posix.S_IFBLK;
                default -> Posix.S_IFIFO;
              };
          Posix.mknod(dest, kind | entry.mode(), entry.devMajor(), entry.devMinor());
          applyAttributes(dest, entry, false);
        }
      }
      written.add(entry.path());
    }
  }

  /** Puts a regular file's content at a path that does not exist yet. */
  @FunctionalInterface
  private interface Content {
    void placeAt(Path dest) throws IOException;
  }

  private void whiteout(Path target, TarEntry entry, String name, Set<String> written)
      throws IOException {
    String parent = parentOf(entry.path());
    // Resolving the marker's own path checks every directory above it for symlinks.
    Path dir = resolve(target, entry.path(), entry.path()).getParent();
    if (name.equals(OPAQUE)) {
      if (whiteouts == WhiteoutMode.OVERLAY) {
        Files.createDirectories(dir);
        Posix.lsetxattr(dir, OVERLAY_OPAQUE_XATTR, "y".getBytes(StandardCharsets.US_ASCII));
      } else if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        clearExcept(dir, parent.equals(EntryPaths.ROOT) ? "" : parent + "/", written);
      }
      return;
    }
    if (name.startsWith(WHITEOUT + WHITEOUT)) {
      return; // other aufs metadata (.wh..wh.plnk and the like) has no meaning here
    }
    String hidden = name.substring(WHITEOUT.length());
    String hiddenPath = parent.equals(EntryPaths.ROOT) ? hidden : parent + "/" + hidden;
    Path victim = dir.resolve(hidden);
    if (whiteouts == WhiteoutMode.OVERLAY) {
      Files.createDirectories(dir);
      deleteRecursively(victim);
      Posix.mknod(victim, Posix.S_IFCHR, 0, 0);
      Posix.lutimes(victim, entry.mtime().getEpochSecond(), entry.mtime().getNano());
    } else if (!written.contains(hiddenPath)) {
      deleteRecursively(victim);
    }
  }

  /** Removes what lies below {@code dir} unless this layer wrote it. */
  private static void clearExcept(Path dir, String prefix, Set<String> written) throws IOException {
    List<Path> children = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      stream.forEach(children::add);
    }
    for (Path child : children) {
      String rel = prefix + child.getFileName();
      if (!written.contains(rel)) {
        deleteRecursively(child);
      } else if (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
        clearExcept(child, rel + "/", written);
      }
    }
  }

  /**
   * {@code target/rel}, after checking that no existing component before the last is a symlink (a
   * layer could otherwise plant {@code etc -> /etc} and then write {@code etc/passwd} on the host).
   * Missing parents are created as root-owned 0755 directories, as tar does.
   */
  private static Path resolve(Path target, String rel, String entryPath) throws IOException {
    Path current = target;
    String[] parts = rel.split("/");
    for (int i = 0; i < parts.length - 1; i++) {
      current = current.resolve(parts[i]);
      if (Files.isSymbolicLink(current)) {
        throw new UnsafeEntryException(
            "archive entry '"
                + entryPath
                + "' would be written through the symlink '"
                + target.relativize(current)
                + "' -> '"
                + Files.readSymbolicLink(current)
                + "'; refused because it could escape "
                + target);
      }
      if (!Files.exists(current, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectory(current);
      } else if (!Files.isDirectory(current, LinkOption.NOFOLLOW_LINKS)) {
        throw new IOException(
            "archive entry '"
                + entryPath
                + "' needs '"
                + target.relativize(current)
                + "' to be a directory");
      }
    }
    return current.resolve(parts[parts.length - 1]);
  }

  /**
   * Owner, then mode (chown clears setuid), then xattrs (chown clears capabilities), then mtime.
   * {@code strip} removes the xattrs the entry does not have first (a file moved in brings its own;
   * {@code security.selinux} is the host's, as on any new file, and stays).
   */
  private void applyAttributes(Path dest, TarEntry entry, boolean strip) throws IOException {
    if (applyOwners) {
      Posix.lchown(dest, entry.uid(), entry.gid());
    }
    if (entry.type() != EntryType.SYMLINK) {
      Posix.chmod(dest, entry.mode());
    }
    if (strip) {
      for (String name : Posix.llistxattr(dest)) {
        if (!entry.xattrs().containsKey(name) && !name.equals("security.selinux")) {
          Posix.lremovexattr(dest, name);
        }
      }
    }
    for (Map.Entry<String, byte[]> xattr : entry.xattrs().entrySet()) {
      Posix.lsetxattr(dest, xattr.getKey(), xattr.getValue());
    }
    Posix.lutimes(dest, entry.mtime().getEpochSecond(), entry.mtime().getNano());
  }

  static void deleteRecursively(Path path) throws IOException {
    if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      List<Path> children = new ArrayList<>();
      try (DirectoryStream<Path> stream = Files.newDirectoryStream(path)) {
        stream.forEach(children::add);
      }
      for (Path child : children) {
        deleteRecursively(child);
      }
    }
    Files.deleteIfExists(path);
  }

  private static String baseName(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  private static String parentOf(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? EntryPaths.ROOT : path.substring(0, slash);
  }
}
