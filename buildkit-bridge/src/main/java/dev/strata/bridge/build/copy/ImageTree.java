package dev.strata.bridge.build.copy;

import dev.strata.bridge.rootfs.RootfsView;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Another stage's or image's root filesystem, for {@code COPY --from}; owners are kept. */
public final class ImageTree implements SourceTree {
  private final RootfsView view;
  private final String name;

  public ImageTree(RootfsView view, String name) {
    this.view = view;
    this.name = name;
  }

  @Override
  public Optional<Path> file(String path) throws IOException {
    return view.lookup(path);
  }

  @Override
  public List<String> children(String path) throws IOException {
    return view.list(path);
  }

  @Override
  public String resolve(String path) throws IOException {
    String resolved = view.resolve(path, true);
    return resolved.equals("/") ? "" : resolved.substring(1);
  }

  @Override
  public boolean keepsOwners() {
    return true;
  }

  @Override
  public String description() {
    return name;
  }
}
