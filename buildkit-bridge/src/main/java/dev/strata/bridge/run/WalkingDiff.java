package dev.strata.bridge.run;

import dev.strata.bridge.rootfs.RootfsView;
import dev.strata.bridge.tar.PathChoice;
import dev.strata.bridge.tar.TarEntry;
import dev.strata.bridge.tar.TreeFilter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a rootfs that a RUN changed in place (a copy of its lower layers, where overlayfs is not
 * available) as the layer the overlay path would give for the same RUN, by comparing the entries
 * recorded before and after it (jib-and-layers.md §2.6): an entry is written when it is new or any
 * recorded field differs; a deleted path shown by a lower layer becomes {@code .wh.name} beside it,
 * unless its directory went too or was replaced; a directory that is another file than before
 * (removed and made again) is written whole, with {@code .wh..wh..opq} when a lower layer shows the
 * path, as overlayfs marks such a directory opaque; the directories above anything written are
 * written too, as copy-up puts them in the upperdir; the sandbox's empty mount stubs never are.
 */
final class WalkingDiff implements TreeFilter {
  private final Set<String> kept;
  private final Set<String> opaque;
  private final List<TarEntry> whiteouts;

  private WalkingDiff(Set<String> kept, Set<String> opaque, List<TarEntry> whiteouts) {
    this.kept = kept;
    this.opaque = opaque;
    this.whiteouts = List.copyOf(whiteouts);
  }

  /**
   * The diff of {@code root} from {@code before} to {@code after} (both of {@code root}), over
   * {@code lowers} (the RUN's layers, without the mount scaffold); {@code mountPoints} are the
   * relative paths the sandbox mounted something on.
   */
  static WalkingDiff between(
      RootfsSnapshot before,
      RootfsSnapshot after,
      Path root,
      RootfsView lowers,
      Set<String> mountPoints)
      throws IOException {
    Set<String> replaced = new HashSet<>();
    Set<String> written = new HashSet<>();
    for (String rel : after.paths()) {
      RootfsSnapshot.Entry now = after.get(rel).orElseThrow();
      Optional<RootfsSnapshot.Entry> was = before.get(rel);
      if (was.isPresent() && was.get().equals(now)) {
        continue;
      }
      if (mountPoints.contains(rel)
          && !lowers.exists(rel)
          && UpperdirDiff.isEmptyStub(root.resolve(rel))) {
        continue;
      }
      written.add(rel);
      if (now.status().isDirectory() && was.isPresent() && !was.get().sameFileAs(now)) {
        replaced.add(rel);
      }
    }
    // Everything below a directory made again is new, whatever its recorded state says.
    for (String rel : after.paths()) {
      if (hasAncestorIn(rel, replaced)) {
        written.add(rel);
      }
    }
    Set<String> opaque = new HashSet<>();
    for (String rel : replaced) {
      if (!hasAncestorIn(rel, replaced) && lowers.exists(rel)) {
        opaque.add(rel);
      }
    }
    List<TarEntry> whiteouts = new ArrayList<>();
    for (String rel : before.paths()) {
      if (after.get(rel).isPresent() || !parentSurvived(rel, before, after)) {
        continue;
      }
      if (lowers.exists(rel)) {
        whiteouts.add(
            UpperdirDiff.whiteout(
                UpperdirDiff.siblingPath(rel, UpperdirDiff.WHITEOUT + UpperdirDiff.name(rel))));
        addAncestors(rel, written);
      }
    }
    Set<String> kept = new HashSet<>(written);
    for (String rel : written) {
      addAncestors(rel, kept);
    }
    return new WalkingDiff(kept, opaque, whiteouts);
  }

  /** Whether the directory holding {@code rel} is still the same directory. */
  private static boolean parentSurvived(String rel, RootfsSnapshot before, RootfsSnapshot after) {
    int slash = rel.lastIndexOf('/');
    if (slash < 0) {
      return true;
    }
    String parent = rel.substring(0, slash);
    Optional<RootfsSnapshot.Entry> was = before.get(parent);
    Optional<RootfsSnapshot.Entry> now = after.get(parent);
    return was.isPresent()
        && now.isPresent()
        && now.get().status().isDirectory()
        && was.get().sameFileAs(now.get());
  }

  private static boolean hasAncestorIn(String rel, Set<String> dirs) {
    for (int slash = rel.lastIndexOf('/'); slash > 0; slash = rel.lastIndexOf('/', slash - 1)) {
      if (dirs.contains(rel.substring(0, slash))) {
        return true;
      }
    }
    return false;
  }

  private static void addAncestors(String rel, Set<String> into) {
    for (int slash = rel.lastIndexOf('/'); slash > 0; slash = rel.lastIndexOf('/', slash - 1)) {
      if (!into.add(rel.substring(0, slash))) {
        return; // its own ancestors were added with it
      }
    }
  }

  @Override
  public PathChoice choose(String rel, Path file) {
    if (!kept.contains(rel)) {
      return PathChoice.prune();
    }
    if (opaque.contains(rel)) {
      return PathChoice.keepWith(
          List.of(UpperdirDiff.whiteout(rel + "/" + UpperdirDiff.OPAQUE_MARKER)));
    }
    return PathChoice.keep();
  }

  @Override
  public List<TarEntry> removals() {
    return whiteouts;
  }
}
