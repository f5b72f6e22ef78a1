package dev.strata.bridge.tar;

import dev.strata.bridge.fs.Posix;
import dev.strata.graph.project.LayerCompression;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Turns a directory tree into a layer tar, exactly: every file type, numeric owners, permission
 * bits with setuid/setgid/sticky, nanosecond mtimes, xattrs as raw bytes, and hardlinks as link
 * entries to the first path of each inode. Entries are sorted by path (UTF-8 byte order), so the
 * same tree gives the same bytes. Whiteout files ({@code .wh.*}) are ordinary empty files here and
 * are written as they are. The root directory itself is not written.
 */
public final class LayerWriter {
  private static final Comparator<String> BYTE_ORDER =
      (a, b) ->
          Arrays.compareUnsigned(
              a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

  /**
   * The attributes a layer entry needs. Not {@code unix:*}: that also resolves the owner's and the
   * group's names (a passwd and a group lookup per file), which cost db-server's RUN layer (4,500
   * files) more time than hashing its 300 MB.
   */
  private static final String ATTRIBUTES =
      "unix:mode,uid,gid,lastModifiedTime,nlink,dev,ino,size,rdev";

  private final Optional<Instant> sourceDateEpoch;
  private final LayerCompression compression;
  private final Optional<PieceMemo> pieces;

  /** The order of entries in every layer Strata writes: paths by UTF-8 bytes. */
  public static Comparator<String> pathOrder() {
    return BYTE_ORDER;
  }

  /**
   * A writer of gzipped layers that clamps every mtime to {@code sourceDateEpoch} when present, as
   * BuildKit's rewrite-timestamp does with {@code SOURCE_DATE_EPOCH}.
   */
  public LayerWriter(Optional<Instant> sourceDateEpoch) {
    this(sourceDateEpoch, LayerCompression.GZIP);
  }

  /** A writer of layers compressed as {@code compression}, mtimes clamped as above. */
  public LayerWriter(Optional<Instant> sourceDateEpoch, LayerCompression compression) {
    this(sourceDateEpoch, compression, Optional.empty());
  }

  /**
   * A writer as above that copies the compressed pieces of large files from {@code pieces} when a
   * stored blob holds them, and records its own there (the bytes are the same either way).
   */
  public LayerWriter(
      Optional<Instant> sourceDateEpoch, LayerCompression compression, Optional<PieceMemo> pieces) {
    this.sourceDateEpoch = sourceDateEpoch;
    this.compression = compression;
    this.pieces = pieces;
  }

  /** How the layers this writer writes are compressed. */
  public LayerCompression compression() {
    return compression;
  }

  /** {@code SOURCE_DATE_EPOCH} from the environment, if set. */
  public static Optional<Instant> sourceDateEpochFromEnvironment() {
    String value = System.getenv("SOURCE_DATE_EPOCH");
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.ofEpochSecond(Long.parseLong(value.trim())));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "SOURCE_DATE_EPOCH must be whole seconds since 1970, got '" + value + "'", e);
    }
  }

  /** Writes {@code root}'s tree as a layer onto {@code sink} and returns its digests. */
  public LayerDigests writeLayer(Path root, OutputStream sink) throws IOException {
    return writeLayer(root, TreeFilter.ALL, sink);
  }

  /** Writes what {@code filter} keeps of {@code root}'s tree as a layer onto {@code sink}. */
  public LayerDigests writeLayer(Path root, TreeFilter filter, OutputStream sink)
      throws IOException {
    LayerOutput layer = LayerOutput.open(compression, sink, pieces);
    TarWriter tar = new TarWriter(layer);
    write(root, filter, tar, null);
    tar.finish();
    return layer.finish();
  }

  /**
   * Writes what {@code filter} keeps of {@code root}'s tree as a layer onto {@code sink} and, in
   * the same pass, extracts the layer through {@code extraction} (not finished here), moving each
   * regular file into it once its bytes are in the tar: the extracted tree costs no copy and no
   * second read, and {@code root} is left without its regular files.
   */
  public LayerDigests writeLayerMovingInto(
      Path root, TreeFilter filter, OutputStream sink, LayerExtractor.Extraction extraction)
      throws IOException {
    LayerOutput layer = LayerOutput.open(compression, sink, pieces);
    TarWriter tar = new TarWriter(layer);
    write(root, filter, tar, extraction);
    tar.finish();
    return layer.finish();
  }

  /**
   * Writes assembled entries as a layer: sorted by path like a scanned tree, mtimes clamped like
   * {@link #write(Path, TarWriter)}. Paths must be unique; a hardlink must name a path that sorts
   * before it.
   */
  public LayerDigests writeLayer(Collection<StagedEntry> entries, OutputStream sink)
      throws IOException {
    TreeMap<String, StagedEntry> sorted = new TreeMap<>(BYTE_ORDER);
    for (StagedEntry staged : entries) {
      if (sorted.put(staged.entry().path(), staged) != null) {
        throw new IllegalArgumentException("two layer entries for " + staged.entry().path());
      }
    }
    LayerOutput layer = LayerOutput.open(compression, sink, pieces);
    TarWriter tar = new TarWriter(layer);
    for (StagedEntry staged : sorted.values()) {
      TarEntry entry = staged.entry();
      if (entry.type() == EntryType.HARDLINK
          && BYTE_ORDER.compare(entry.linkTarget(), entry.path()) >= 0) {
        throw new IllegalArgumentException(
            "hardlink " + entry.path() + " must come after its target " + entry.linkTarget());
      }
      if (sourceDateEpoch.isPresent()) {
        entry = entry.clampedTo(sourceDateEpoch.get());
      }
      try (InputStream in = staged.open()) {
        tar.write(entry, in);
      }
    }
    tar.finish();
    return layer.finish();
  }

  /** Writes {@code root}'s tree as uncompressed tar entries to {@code tar} (not finished). */
  public void write(Path root, TarWriter tar) throws IOException {
    write(root, TreeFilter.ALL, tar);
  }

  /** Writes what {@code filter} keeps of {@code root}'s tree to {@code tar} (not finished). */
  public void write(Path root, TreeFilter filter, TarWriter tar) throws IOException {
    write(root, filter, tar, null);
  }

  private void write(
      Path root, TreeFilter filter, TarWriter tar, LayerExtractor.Extraction extraction)
      throws IOException {
    for (Scanned scanned : scan(root, filter)) {
      TarEntry entry = scanned.entry;
      if (sourceDateEpoch.isPresent()) {
        entry = entry.clampedTo(sourceDateEpoch.get());
      }
      boolean regular = scanned.file != null && entry.type() == EntryType.REGULAR;
      if (regular && entry.size() > 0) {
        try (InputStream in = Files.newInputStream(scanned.file, LinkOption.NOFOLLOW_LINKS)) {
          tar.write(entry, in);
        }
      } else {
        tar.write(entry);
      }
      if (extraction != null) {
        if (regular) {
          extraction.adopt(entry, scanned.file);
        } else {
          extraction.add(entry, InputStream.nullInputStream());
        }
      }
    }
  }

  /** The entries the tree gives, in archive order (for listing and tests). */
  public List<TarEntry> entries(Path root) throws IOException {
    return entries(root, TreeFilter.ALL);
  }

  /** The entries what {@code filter} keeps of the tree gives, in archive order. */
  public List<TarEntry> entries(Path root, TreeFilter filter) throws IOException {
    List<TarEntry> entries = new ArrayList<>();
    for (Scanned s : scan(root, filter)) {
      entries.add(sourceDateEpoch.map(s.entry::clampedTo).orElse(s.entry));
    }
    return entries;
  }

  private record Scanned(Path file, TarEntry entry) {}

  private List<Scanned> scan(Path root, TreeFilter filter) throws IOException {
    TreeMap<String, Object> paths = new TreeMap<>(BYTE_ORDER);
    collect(root, "", filter, paths);
    for (TarEntry removal : filter.removals()) {
      if (removal.size() != 0 || paths.putIfAbsent(removal.path(), removal) != null) {
        throw new IllegalArgumentException("removal " + removal.path() + " clashes or has content");
      }
    }
    List<Scanned> out = new ArrayList<>();
    Map<String, String> firstPathOfInode = new HashMap<>();
    for (Map.Entry<String, Object> item : paths.entrySet()) {
      String rel = item.getKey();
      if (item.getValue() instanceof TarEntry synthetic) {
        out.add(new Scanned(null, synthetic));
        continue;
      }
      Path file = (Path) item.getValue();
      Map<String, Object> a = Files.readAttributes(file, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
      int rawMode = (Integer) a.get("mode");
      int perms = rawMode & 07777;
      int uid = (Integer) a.get("uid");
      int gid = (Integer) a.get("gid");
      Instant mtime = ((FileTime) a.get("lastModifiedTime")).toInstant();
      int format = rawMode & 0170000;
      if (format == 0140000) {
        continue; // sockets cannot be carried in a tar; buildah skips them too
      }
      if (format != 0040000 && (Integer) a.get("nlink") > 1) {
        String inode = a.get("dev") + ":" + a.get("ino");
        String first = firstPathOfInode.putIfAbsent(inode, rel);
        if (first != null) {
          out.add(
              new Scanned(
                  file,
                  new TarEntry(
                      rel,
                      EntryType.HARDLINK,
                      perms,
                      uid,
                      gid,
                      mtime,
                      0,
                      first,
                      0,
                      0,
                      new TreeMap<>())));
          continue;
        }
      }
      out.add(new Scanned(file, describe(file, rel)));
    }
    return out;
  }

  /**
   * The tar entry of one file as it is on disk (not following a symlink), named {@code path}: type,
   * permission bits, numeric owner, mtime, size, link target, device numbers and the xattrs a layer
   * carries. Hardlinks are not detected here (that needs the whole set of files).
   */
  public static TarEntry describe(Path file, String path) throws IOException {
    Map<String, Object> a = Files.readAttributes(file, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
    int rawMode = (Integer) a.get("mode");
    int perms = rawMode & 07777;
    int uid = (Integer) a.get("uid");
    int gid = (Integer) a.get("gid");
    Instant mtime = ((FileTime) a.get("lastModifiedTime")).toInstant();
    int format = rawMode & 0170000;
    TarEntry entry =
        switch (format) {
          case 0040000 -> TarEntry.directory(path, perms, uid, gid, mtime);
          case 0100000 -> TarEntry.file(path, perms, uid, gid, mtime, (Long) a.get("size"));
          case 0120000 ->
              TarEntry.symlink(path, Files.readSymbolicLink(file).toString(), uid, gid, mtime);
          case 0020000, 0060000 -> {
            long rdev = (Long) a.get("rdev");
            yield new TarEntry(
                path,
                format == 0020000 ? EntryType.CHAR_DEVICE : EntryType.BLOCK_DEVICE,
                perms,
                uid,
                gid,
                mtime,
                0,
                null,
                Posix.major(rdev),
                Posix.minor(rdev),
                new TreeMap<>());
          }
          case 0010000 ->
              new TarEntry(
                  path, EntryType.FIFO, perms, uid, gid, mtime, 0, null, 0, 0, new TreeMap<>());
          default -> throw new IOException("unsupported file type " + format + " at " + file);
        };
    return entry.withXattrs(readXattrs(file));
  }

  /** Paths to scan ({@link Path}) and synthetic entries ({@link TarEntry}), by archive name. */
  private static void collect(Path dir, String prefix, TreeFilter filter, Map<String, Object> into)
      throws IOException {
    List<Path> children = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      stream.forEach(children::add);
    }
    for (Path child : children) {
      String rel = prefix + child.getFileName().toString();
      PathChoice choice = filter.choose(rel, child);
      for (TarEntry synthetic : choice.synthetic()) {
        into.put(synthetic.path(), synthetic);
      }
      if (choice.emit()) {
        into.put(rel, child);
      }
      if (choice.descend() && Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
        collect(child, rel + "/", filter, into);
      }
    }
  }

  /**
   * The xattrs a layer carries. Left out: {@code security.selinux} (the target host labels files;
   * buildah drops it too), {@code system.*} (ACLs, which tar carries differently) and the overlay
   * driver's own {@code trusted.overlay.*}/{@code user.overlay.*} bookkeeping.
   */
  private static TreeMap<String, byte[]> readXattrs(Path file) throws IOException {
    TreeMap<String, byte[]> xattrs = new TreeMap<>(Posix.lxattrs(file));
    xattrs
        .keySet()
        .removeIf(
            name ->
                name.equals("security.selinux")
                    || name.startsWith("system.")
                    || name.startsWith("trusted.overlay.")
                    || name.startsWith("user.overlay."));
    return xattrs;
  }
}
