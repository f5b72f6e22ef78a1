package dev.strata.dsl.eval;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.strata.dsl.instructions.Containerfile;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A Containerfile evaluated for one set of build args and platforms: the meta-ARG values in force
 * for FROM lines (automatic platform ARGs included) and every stage resolved.
 */
public record ResolvedContainerfile(
    Containerfile source, Map<String, String> metaArgs, List<ResolvedStage> stages) {

  public ResolvedContainerfile {
    metaArgs = ImmutableMap.copyOf(metaArgs);
    stages = ImmutableList.copyOf(stages);
  }

  /** The stage called {@code name} (case-insensitive). */
  public Optional<ResolvedStage> stage(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return stages.stream().filter(s -> s.name().map(lower::equals).orElse(false)).findFirst();
  }
}
