package dev.strata.dsl.eval;

import com.google.common.collect.ImmutableMap;
import java.util.Map;

/** What a build supplies from outside the file: {@code --build-arg} values and the platforms. */
public record EvaluationOptions(
    Map<String, String> buildArgs, Platform targetPlatform, Platform buildPlatform) {

  public EvaluationOptions {
    buildArgs = ImmutableMap.copyOf(buildArgs);
  }

  /** No build args; target and build platform linux/amd64. */
  public static EvaluationOptions defaults() {
    return new EvaluationOptions(Map.of(), Platform.LINUX_AMD64, Platform.LINUX_AMD64);
  }

  /** The given build args on linux/amd64. */
  public static EvaluationOptions withBuildArgs(Map<String, String> buildArgs) {
    return new EvaluationOptions(buildArgs, Platform.LINUX_AMD64, Platform.LINUX_AMD64);
  }
}
