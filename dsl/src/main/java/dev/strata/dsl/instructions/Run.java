package dev.strata.dsl.instructions;

import com.google.common.collect.ImmutableList;
import java.util.List;

/**
 * {@code RUN}: the command (exec words or shell text), its here-documents, its {@code --mount}
 * values as written, the mounts they resolve to (filled by {@link #expand}, since BuildKit reads
 * mount options only once variables are known), network, security, devices, and the flags used.
 */
public record Run(
    SourceSpan location,
    CommandLine command,
    List<InlineFile> heredocs,
    List<String> mountSpecs,
    List<RunMount> mounts,
    NetworkMode network,
    SecurityMode security,
    List<RunDevice> devices,
    List<String> flagsUsed)
    implements Instruction, Expandable {

  public Run {
    heredocs = ImmutableList.copyOf(heredocs);
    mountSpecs = ImmutableList.copyOf(mountSpecs);
    mounts = ImmutableList.copyOf(mounts);
    devices = ImmutableList.copyOf(devices);
    flagsUsed = ImmutableList.copyOf(flagsUsed);
  }

  /** Only the mount option values expand; the command is the shell's business. */
  @Override
  public Run expand(WordExpander expander) {
    List<RunMount> resolved =
        mountSpecs.stream()
            .map(spec -> RunMount.parse(spec, expander::word))
            .collect(ImmutableList.toImmutableList());
    return new Run(
        location, command, heredocs, mountSpecs, resolved, network, security, devices, flagsUsed);
  }
}
