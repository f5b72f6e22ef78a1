package dev.strata.dsl.eval;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.strata.dsl.instructions.Instruction;
import dev.strata.dsl.instructions.Stage;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A stage after evaluation: its base name and platform expanded with the meta-ARGs, what the base
 * is, its instructions expanded exactly where BuildKit expands them, the stages/images it reads,
 * and the build-time environment (ARG and ENV values) at its end.
 */
public record ResolvedStage(
    Stage stage,
    String baseName,
    StageReference base,
    Optional<Platform> platform,
    List<Instruction> instructions,
    List<Dependency> dependencies,
    Map<String, String> environment) {

  public ResolvedStage {
    instructions = ImmutableList.copyOf(instructions);
    dependencies = ImmutableList.copyOf(dependencies);
    environment = ImmutableMap.copyOf(environment);
  }

  public int index() {
    return stage.index();
  }

  public Optional<String> name() {
    return stage.name();
  }
}
