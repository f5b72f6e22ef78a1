package dev.strata.disk.ext4;

import java.util.ArrayList;
import java.util.List;

/**
 * A whole tree to write into an ext4 filesystem, held in memory (names, metadata and where each
 * file's bytes are, never the bytes of host files), addressed by absolute paths. Paths are literal:
 * no symlink is followed. Sources fill it ({@link DirectoryTree}); a disk build then edits it.
 */
public final class FileTree {
  private final TreeNode root;

  public FileTree(TreeNode root) {
    if (root.kind() != TreeNode.Kind.DIRECTORY) {
      throw new IllegalArgumentException("the root of a tree must be a directory");
    }
    this.root = root;
  }

  public TreeNode root() {
    return root;
  }

  /** The node at {@code path}, or null. */
  public TreeNode lookup(String path) {
    TreeNode node = root;
    for (String part : components(path)) {
      node = node.child(part);
      if (node == null) {
        return null;
      }
    }
    return node;
  }

  /** Puts {@code node} at {@code path}, replacing what was there; the parent must be a folder. */
  public void put(String path, TreeNode node) throws Ext4Exception {
    List<String> parts = components(path);
    if (parts.isEmpty()) {
      throw new Ext4Exception("cannot replace the root folder of the tree");
    }
    parent(path, parts).put(parts.get(parts.size() - 1), node);
  }

  /** Removes the name {@code path}; returns whether it existed. */
  public boolean remove(String path) throws Ext4Exception {
    List<String> parts = components(path);
    if (parts.isEmpty()) {
      throw new Ext4Exception("cannot remove the root folder of the tree");
    }
    TreeNode dir = lookup(String.join("/", parts.subList(0, parts.size() - 1)));
    return dir != null
        && dir.kind() == TreeNode.Kind.DIRECTORY
        && dir.remove(parts.get(parts.size() - 1)) != null;
  }

  private TreeNode parent(String path, List<String> parts) throws Ext4Exception {
    TreeNode dir = lookup(String.join("/", parts.subList(0, parts.size() - 1)));
    if (dir == null || dir.kind() != TreeNode.Kind.DIRECTORY) {
      throw new Ext4Exception("cannot write " + path + ": its parent is not a folder in the tree");
    }
    return dir;
  }

  private static List<String> components(String path) {
    List<String> parts = new ArrayList<>();
    for (String p : path.split("/")) {
      if (!p.isEmpty() && !p.equals(".")) {
        if (p.equals("..")) {
          throw new IllegalArgumentException("'..' in tree path " + path);
        }
        parts.add(p);
      }
    }
    return parts;
  }
}
