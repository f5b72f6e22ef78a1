package dev.strata.dsl.syntax;

/**
 * One here-document read after a RUN, COPY or ADD line: its delimiter name, the file descriptor
 * written before {@code <<} (0 when absent), whether its body is subject to variable expansion
 * (false when any part of the delimiter was quoted), whether leading tabs are stripped ({@code
 * <<-}), and the raw body, each line with its {@code \n}, not yet tab-stripped.
 */
public record Heredoc(
    String name, int fileDescriptor, boolean expand, boolean chomp, String content) {}
