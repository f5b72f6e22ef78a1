package dev.strata.disk.lint;

import dev.strata.bridge.rootfs.RootfsView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checks of {@code bootc container lint} that apply to an image Strata built, run over its root
 * filesystem (read through its extracted layers, or a flattened folder) and its config labels:
 * fatal ones (one kernel with its initramfs, no /usr/etc, /var/run a symlink, API directories,
 * kargs.d parses) and warnings (non-empty /boot, /var content without tmpfiles.d, /var/log files,
 * /run content, the containers.bootc label, users and groups without sysusers.d). The engine calls
 * it at the end of each bootc node's build; {@code strata lint} runs it on demand, with {@code
 * --strict} making warnings fatal.
 */
public final class BootcLint {
  private static final List<LintRule> RULES =
      List.of(
          new KernelRule(),
          new UsrEtcRule(),
          new VarRunRule(),
          new ApiDirectoriesRule(),
          new KargsRule(),
          new BootEmptyRule(),
          new VarTmpfilesRule(),
          new VarLogRule(),
          new RunContentRule(),
          new BootcLabelRule(),
          new SysusersRule());

  private BootcLint() {}

  /** Every rule's name, in the order they run. */
  public static List<String> ruleNames() {
    return RULES.stream().map(LintRule::name).toList();
  }

  /** Runs every rule on the flattened rootfs folder {@code rootfs} with the image's labels. */
  public static LintReport lint(Path rootfs, Map<String, String> labels) throws IOException {
    return lint(rootfs, labels, Set.of());
  }

  /** Runs every rule except those named in {@code skip} on a flattened rootfs folder. */
  public static LintReport lint(Path rootfs, Map<String, String> labels, Set<String> skip)
      throws IOException {
    if (!Files.isDirectory(rootfs)) {
      throw new IOException("cannot lint " + rootfs + ": not a directory");
    }
    return lint(RootfsView.ofDirectories(List.of(rootfs)), labels, skip);
  }

  /**
   * Runs every rule on the root filesystem {@code rootfs} shows (an image's layer stack, merged
   * without being flattened) with the image's {@code labels}.
   */
  public static LintReport lint(RootfsView rootfs, Map<String, String> labels) throws IOException {
    return lint(rootfs, labels, Set.of());
  }

  /** Runs every rule except those named in {@code skip} on the root filesystem {@code rootfs}. */
  public static LintReport lint(RootfsView rootfs, Map<String, String> labels, Set<String> skip)
      throws IOException {
    for (String name : skip) {
      if (!ruleNames().contains(name)) {
        throw new IllegalArgumentException(
            "unknown lint '" + name + "'; known: " + String.join(", ", ruleNames()));
      }
    }
    LintedImage image = new LintedImage(rootfs, labels);
    List<LintRule> chosen = RULES.stream().filter(r -> !skip.contains(r.name())).toList();
    // The rules are independent readers of the same rootfs: they run on the common pool, so a
    // second core halves a node's lint (tens of ms at the end of every changed node's build). The
    // findings keep the rules' order; the first rule to fail (in that order) fails the lint.
    List<RuleOutcome> outcomes =
        chosen.parallelStream().map(rule -> RuleOutcome.of(rule, image)).toList();
    List<LintFinding> findings = new ArrayList<>();
    for (RuleOutcome outcome : outcomes) {
      if (outcome.failure() instanceof IOException e) {
        throw e;
      }
      if (outcome.failure() instanceof RuntimeException e) {
        throw e;
      }
      findings.addAll(outcome.findings());
    }
    List<String> run = chosen.stream().map(LintRule::name).toList();
    return new LintReport(findings, run);
  }

  /** What one rule found, or how it failed (thrown again on the caller's thread, as it was). */
  private record RuleOutcome(List<LintFinding> findings, Exception failure) {
    static RuleOutcome of(LintRule rule, LintedImage image) {
      try {
        return new RuleOutcome(rule.check(image), null);
      } catch (IOException | RuntimeException e) {
        return new RuleOutcome(List.of(), e);
      }
    }
  }
}
