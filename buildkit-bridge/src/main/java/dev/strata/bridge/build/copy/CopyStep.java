package dev.strata.bridge.build.copy;

import dev.strata.bridge.rootfs.Owner;
import dev.strata.bridge.rootfs.RootfsView;
import dev.strata.bridge.tar.EntryType;
import dev.strata.bridge.tar.LayerWriter;
import dev.strata.bridge.tar.StagedEntry;
import dev.strata.bridge.tar.TarEntry;
import dev.strata.dsl.ignore.IgnoreRules;
import dev.strata.dsl.instructions.InlineSource;
import dev.strata.dsl.path.GoPath;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Turns one COPY or ADD into the entries of its layer, the way Docker and buildah copy: a named
 * directory contributes its contents, globs are Go's {@code filepath.Match} per path element,
 * several sources need a directory destination, relative destinations start at WORKDIR, and
 * symlinks in the destination are followed inside the image. Files keep their modes, links, xattrs
 * and mtimes; owners become root (or {@code --chown}) for context files and stay as they are for
 * {@code --from} files. Every directory above a written path is in the layer with the metadata it
 * has in the image, so the layer never changes {@code /tmp}'s 1777 or a non-root directory's owner;
 * directories the image lacks are made 0755 and owned like the copied files.
 */
public final class CopyStep {
  private final SourceTree tree;
  private final RootfsView image;
  private final String workdir;
  private final Instant now;
  private final Path scratch;
  private final RemoteSource remote;

  /**
   * A step reading from {@code tree} into the image {@code image} shows; {@code now} is the mtime
   * of what has none of its own, {@code scratch} an empty folder for downloads and archive content
   * that must live until the layer is written.
   */
  public CopyStep(
      SourceTree tree,
      RootfsView image,
      String workdir,
      Instant now,
      Path scratch,
      RemoteSource remote) {
    this.tree = tree;
    this.image = image;
    this.workdir = workdir.isEmpty() ? "/" : workdir;
    this.now = now;
    this.scratch = scratch;
    this.remote = remote;
  }

  /**
   * The layer's entries and a summary for the history ({@code file}, {@code dir} or {@code multi}).
   */
  public record Result(List<StagedEntry> entries, String kind) {}

  private record Match(String written, String resolved, Path file, TarEntry stat) {}

  public Result run(CopyRequest request) throws IOException, CopyException {
    String rawDest = request.destination();
    boolean dirSyntax = rawDest.endsWith("/") || rawDest.endsWith("/.") || rawDest.equals(".");
    String absolute = rawDest.startsWith("/") ? rawDest : workdir + "/" + rawDest;
    String dest = strip(GoPath.clean(absolute));
    IgnoreRules excludes =
        request.excludes().isEmpty()
            ? IgnoreRules.none()
            : IgnoreRules.parse("--exclude", String.join("\n", request.excludes()));

    List<Match> matches = new ArrayList<>();
    List<String> urls = new ArrayList<>();
    for (String source : request.sources()) {
      if (request.add() && RemoteSource.isUrl(source)) {
        urls.add(source);
        continue;
      }
      if (request.add() && RemoteSource.isGit(source)) {
        throw new CopyException("ADD of a Git repository is not supported yet: " + source);
      }
      List<Match> found = match(source, excludes);
      if (found.isEmpty()) {
        throw new CopyException(
            "'"
                + source
                + "' matches nothing in "
                + tree.description()
                + (tree instanceof ContextTree ? " (or .containerignore excludes it)" : ""));
      }
      matches.addAll(found);
    }
    int count = matches.size() + urls.size() + request.inlineSources().size();
    String target = image.resolve("/" + dest, true).substring(1);
    boolean destIsDir = dirSyntax || count > 1 || isImageDirectory(target);
    if (count > 1 && !destIsDir) {
      throw new CopyException(
          "with more than one source the destination must be a directory ending in '/': "
              + rawDest);
    }
    if (!destIsDir) {
      // A file destination: follow symlinks above it, not the name itself.
      String parent = GoPath.clean("/" + dest);
      int slash = parent.lastIndexOf('/');
      String dir = image.resolve(parent.substring(0, Math.max(slash, 1)), true);
      target = strip(dir + "/" + parent.substring(slash + 1));
    }

    LayerDraft draft = new LayerDraft();
    for (Match m : matches) {
      if (m.stat.type() == EntryType.DIRECTORY) {
        String into = request.parents() ? join(target, m.written) : target;
        copyDirectory(m, into, request, excludes, draft);
      } else if (request.add()
          && request.unpack().orElse(true)
          && m.stat.type() == EntryType.REGULAR
          && ArchiveSource.isArchive(m.file)) {
        new ArchiveSource(scratch).extract(m.file, m.written, target, draft);
      } else {
        String name = request.parents() ? m.written : baseName(m.written);
        String to = destIsDir ? join(target, name) : target;
        if (request.parents()) {
          addParentsFromSource(m.written, target, request, draft);
        }
        putFile(m.file, m.stat, to, request, draft, new Object());
      }
    }
    for (InlineSource inline : request.inlineSources()) {
      String to = destIsDir ? join(target, inline.path()) : target;
      byte[] bytes = inline.data().getBytes(StandardCharsets.UTF_8);
      Owner owner = request.chown().orElse(Owner.ROOT);
      TarEntry entry =
          TarEntry.file(
              to, request.chmod().orElse(0644), owner.uid(), owner.gid(), now, bytes.length);
      draft.put(entry, null, bytes, null);
    }
    for (String url : urls) {
      RemoteSource.Download download = remote.fetch(url, request.checksum(), scratch);
      String to = destIsDir ? join(target, download.fileName()) : target;
      Owner owner = request.chown().orElse(Owner.ROOT);
      TarEntry entry =
          TarEntry.file(
              to,
              request.chmod().orElse(0600),
              owner.uid(),
              owner.gid(),
              download.modified(),
              download.size());
      draft.put(entry, download.file(), null, null);
    }
    addImageParents(draft, request);
    String kind =
        count == 1 && matches.size() == 1 && matches.get(0).stat.type() == EntryType.DIRECTORY
            ? "dir"
            : count == 1 ? "file" : "multi";
    return new Result(draft.finish(), kind);
  }

  /** The sources a COPY source names: itself, or what its glob matches, sorted. */
  private List<Match> match(String source, IgnoreRules excludes) throws IOException, CopyException {
    String rel = GoPath.clean(source.startsWith("/") ? source.substring(1) : source);
    if (rel.equals("..") || rel.startsWith("../")) {
      throw new CopyException(
          "source '"
              + source
              + "' is outside "
              + tree.description()
              + "; COPY can only read files inside it");
    }
    rel = rel.equals(".") ? "" : rel;
    List<String> candidates = new ArrayList<>();
    if (!hasGlob(rel)) {
      candidates.add(rel);
    } else {
      candidates.add("");
      for (String part : rel.split("/")) {
        List<String> next = new ArrayList<>();
        for (String c : candidates) {
          if (!hasGlob(part)) {
            next.add(join(c, part));
            continue;
          }
          String dir = tree.resolve(c);
          for (String child : tree.children(dir)) {
            boolean hit;
            try {
              hit = GoPath.match(part, child);
            } catch (IllegalArgumentException e) {
              throw new CopyException("bad pattern in COPY source '" + source + "'");
            }
            if (hit) {
              next.add(join(c, child));
            }
          }
        }
        candidates = next;
      }
    }
    List<Match> out = new ArrayList<>();
    for (String written : candidates) {
      if (!written.isEmpty() && hasGlob(rel) && excludes.excludes(written)) {
        continue;
      }
      String resolved = tree.resolve(written);
      Optional<Path> file = tree.file(resolved);
      if (file.isEmpty()) {
        continue;
      }
      out.add(new Match(written, resolved, file.get(), LayerWriter.describe(file.get(), "x")));
    }
    return out;
  }

  private void copyDirectory(
      Match m, String into, CopyRequest request, IgnoreRules excludes, LayerDraft draft)
      throws IOException, CopyException {
    if (!into.isEmpty() && !draft.has(into) && !isImageDirectory(into)) {
      // a new destination directory is made like a missing parent, not like the source directory
      Owner owner = request.chown().orElse(Owner.ROOT);
      draft.put(TarEntry.directory(into, 0755, owner.uid(), owner.gid(), now), null, null, null);
    }
    Object scope = new Object(); // hardlinks are kept within one source, as buildah does
    walk(m.resolved, "", into, request, excludes, draft, scope);
  }

  private void walk(
      String sourceDir,
      String relative,
      String into,
      CopyRequest request,
      IgnoreRules excludes,
      LayerDraft draft,
      Object scope)
      throws IOException {
    String dir = relative.isEmpty() ? sourceDir : join(sourceDir, relative);
    for (String name : tree.children(dir)) {
      String rel = relative.isEmpty() ? name : relative + "/" + name;
      if (excludes.excludes(rel) && !excludes.mayReincludeUnder(rel)) {
        continue;
      }
      Optional<Path> file = tree.file(join(sourceDir, rel));
      if (file.isEmpty()) {
        continue;
      }
      TarEntry stat = LayerWriter.describe(file.get(), "x");
      String to = join(into, rel);
      if (stat.type() == EntryType.DIRECTORY) {
        draft.put(adjust(stat, to, request), null, null, null);
        walk(sourceDir, rel, into, request, excludes, draft, scope);
      } else if (!excludes.excludes(rel)) {
        putFile(file.get(), stat, to, request, draft, scope);
      }
    }
  }

  /** With {@code --parents}, the directories above a matched file come from the source too. */
  private void addParentsFromSource(
      String written, String target, CopyRequest request, LayerDraft draft)
      throws IOException, CopyException {
    String prefix = "";
    String[] parts = written.split("/");
    for (int i = 0; i < parts.length - 1; i++) {
      prefix = join(prefix, parts[i]);
      String to = join(target, prefix);
      if (draft.has(to) || isImageDirectory(to)) {
        continue;
      }
      Optional<Path> dir = tree.file(tree.resolve(prefix));
      if (dir.isPresent()) {
        draft.put(adjust(LayerWriter.describe(dir.get(), "x"), to, request), null, null, null);
      }
    }
  }

  private void putFile(
      Path file, TarEntry stat, String to, CopyRequest request, LayerDraft draft, Object scope)
      throws IOException {
    if (stat.type() == EntryType.HARDLINK) {
      throw new IllegalStateException("describe never yields hardlinks");
    }
    Object inode = null;
    if (stat.type() != EntryType.DIRECTORY && stat.type() != EntryType.SYMLINK) {
      Map<String, Object> a =
          Files.readAttributes(file, "unix:nlink,dev,ino", LinkOption.NOFOLLOW_LINKS);
      if ((Integer) a.get("nlink") > 1) {
        inode = new LayerDraft.Inode(scope, a.get("dev") + ":" + a.get("ino"));
      }
    }
    draft.put(adjust(stat, to, request), file, null, inode);
  }

  /** A source entry at its new path with the owner and mode rules of this copy. */
  private TarEntry adjust(TarEntry stat, String to, CopyRequest request) {
    Owner owner =
        request.chown().orElse(tree.keepsOwners() ? new Owner(stat.uid(), stat.gid()) : Owner.ROOT);
    int mode = stat.mode();
    if (stat.type() == EntryType.SYMLINK) {
      mode = 0777;
    } else if (request.chmod().isPresent()) {
      mode = request.chmod().get();
    }
    return new TarEntry(
        to,
        stat.type(),
        mode,
        owner.uid(),
        owner.gid(),
        stat.mtime(),
        stat.size(),
        stat.linkTarget(),
        stat.devMajor(),
        stat.devMinor(),
        stat.xattrs());
  }

  /**
   * Every directory above an entry: as the image has it (metadata and xattrs), or new (0755, owned
   * like the copied files) when the image lacks it.
   */
  private void addImageParents(LayerDraft draft, CopyRequest request) throws IOException {
    List<String> paths = new ArrayList<>();
    draft.finish().forEach(e -> paths.add(e.entry().path()));
    TreeMap<String, TarEntry> parents = new TreeMap<>();
    for (String path : paths) {
      int slash = path.lastIndexOf('/');
      while (slash > 0) {
        String parent = path.substring(0, slash);
        if (draft.has(parent) || parents.containsKey(parent)) {
          break;
        }
        Optional<Path> existing = image.lookup(parent);
        if (existing.isPresent() && Files.isDirectory(existing.get(), LinkOption.NOFOLLOW_LINKS)) {
          parents.put(parent, LayerWriter.describe(existing.get(), parent));
        } else {
          Owner owner = request.chown().orElse(Owner.ROOT);
          parents.put(parent, TarEntry.directory(parent, 0755, owner.uid(), owner.gid(), now));
        }
        slash = parent.lastIndexOf('/');
      }
    }
    parents.values().forEach(p -> draft.put(p, null, null, null));
  }

  private boolean isImageDirectory(String path) throws IOException {
    if (path.isEmpty()) {
      return true;
    }
    Optional<Path> file = image.lookup(path);
    return file.isPresent() && Files.isDirectory(file.get(), LinkOption.NOFOLLOW_LINKS);
  }

  private static boolean hasGlob(String path) {
    return path.indexOf('*') >= 0 || path.indexOf('?') >= 0 || path.indexOf('[') >= 0;
  }

  private static String join(String a, String b) {
    if (a.isEmpty()) {
      return b;
    }
    return b.isEmpty() ? a : a + "/" + b;
  }

  private static String baseName(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** An absolute clean path as a layer path ({@code ""} for the root). */
  private static String strip(String path) {
    String p = path;
    while (p.startsWith("/")) {
      p = p.substring(1);
    }
    return p;
  }
}
