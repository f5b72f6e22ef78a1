package dev.strata.dsl.instructions;

/**
 * A here-document used as a COPY/ADD source: the file name (the delimiter), its content (already
 * tab-stripped for {@code <<-}) and whether variables in it are expanded (unquoted delimiter).
 */
public record InlineSource(String path, String data, boolean expand) {}
