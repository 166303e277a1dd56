package dev.redisgen.cli;

import dev.redisgen.emit.YamlWriter;
import dev.redisgen.pipeline.Pipeline;

public final class Main {
    public static void main(String[] args) {
        System.out.print(YamlWriter.write(Pipeline.render(args[0]).objects()));
    }
}
