package dev.strata.graph.project;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.strata.dsl.SourcePosition;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One image of a project (an entry under {@code images:} in strata.yaml, or a discovered
 * Containerfile): its node name, Containerfile and build context (both absolute), image name, tags,
 * aliases, build args, target stage and disk types, and where it was declared.
 */
public record ImageConfig(
    String name,
    Path containerfile,
    Path context,
    String image,
    List<String> tags,
    List<String> aliases,
    Map<String, String> args,
    Optional<String> target,
    List<String> disks,
    SourcePosition declaredAt) {

  public ImageConfig {
    tags = ImmutableList.copyOf(tags);
    aliases = ImmutableList.copyOf(aliases);
    args = ImmutableMap.copyOf(args);
    disks = ImmutableList.copyOf(disks);
  }

  /**
   * The entry as strata.yaml states it (paths relative to {@code projectDirectory}, empty fields
   * left out): what a build's provenance and catalog record keep of the project file.
   */
  public Map<String, Object> entry(Path projectDirectory) {
    Map<String, Object> entry = new LinkedHashMap<>();
    Path project = projectDirectory.toAbsolutePath().normalize();
    entry.put("containerfile", relative(project, containerfile));
    entry.put("context", relative(project, context));
    entry.put("image", image);
    entry.put("tags", tags);
    if (!aliases.isEmpty()) {
      entry.put("aliases", aliases);
    }
    if (!args.isEmpty()) {
      entry.put("args", args);
    }
    target.ifPresent(t -> entry.put("target", t));
    if (!disks.isEmpty()) {
      entry.put("disk", disks);
    }
    return entry;
  }

  private static String relative(Path project, Path path) {
    Path normalized = path.toAbsolutePath().normalize();
    String rel =
        normalized.startsWith(project)
            ? project.relativize(normalized).toString()
            : normalized.toString();
    return rel.isEmpty() ? "." : rel.replace('\\', '/');
  }

  /** The same entry with its position left out, to compare two versions of a strata.yaml. */
  public ImageConfig withoutPosition() {
    return new ImageConfig(
        name,
        containerfile,
        context,
        image,
        tags,
        aliases,
        args,
        target,
        disks,
        SourcePosition.ofLine(null, 1));
  }
}
