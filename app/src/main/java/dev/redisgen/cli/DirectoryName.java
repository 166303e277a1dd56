package dev.redisgen.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A directory option's value ({@code --output-dir}, {@code --golden-dir}). Picocli would turn
 * {@code --output-dir=} into {@code Path.of("")}, the current directory, and a refusal would then name
 * an empty string; an empty name is bad usage instead, said as such.
 */
final class DirectoryName implements ITypeConverter<Path> {
    @Override
    public Path convert(String value) {
        if (value.isBlank()) {
            throw new TypeConversionException("the directory name is empty; name a directory (. for this one)");
        }
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new TypeConversionException("'" + value + "' is not a usable directory name: " + e.getReason());
        }
    }
}
