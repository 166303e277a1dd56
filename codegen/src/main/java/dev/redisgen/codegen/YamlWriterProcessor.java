package dev.redisgen.codegen;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeMirror;
import javax.tools.Diagnostic;

/**
 * Runs {@link YamlWriterGenerator} for each class annotated {@link GenerateYamlWriter}. The root classes are loaded
 * from the compile classpath (javac runs processors found there with that classpath); anything the generator cannot
 * write exactly as Jackson would is a compile error naming the class and property, never a silent fallback.
 */
public final class YamlWriterProcessor extends AbstractProcessor {

    @Override
    public Set<String> getSupportedAnnotationTypes() {
        return Set.of(GenerateYamlWriter.class.getName());
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        for (TypeElement annotation : annotations) {
            for (Element holder : round.getElementsAnnotatedWith(annotation)) {
                generate((TypeElement) holder);
            }
        }
        return true;
    }

    private void generate(TypeElement holder) {
        String name = null;
        boolean jacksonDefaults = false;
        List<String> roots = new ArrayList<>();
        for (AnnotationMirror mirror : holder.getAnnotationMirrors()) {
            if (!mirror.getAnnotationType().toString().equals(GenerateYamlWriter.class.getName())) {
                continue;
            }
            for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e : mirror.getElementValues().entrySet()) {
                String key = e.getKey().getSimpleName().toString();
                if (key.equals("name")) {
                    name = (String) e.getValue().getValue();
                } else if (key.equals("jacksonDefaults")) {
                    jacksonDefaults = (Boolean) e.getValue().getValue();
                } else if (key.equals("roots")) {
                    for (Object v : (List<?>) e.getValue().getValue()) {
                        TypeMirror type = (TypeMirror) ((AnnotationValue) v).getValue();
                        TypeElement element = (TypeElement) ((DeclaredType) type).asElement();
                        roots.add(processingEnv.getElementUtils().getBinaryName(element).toString());
                    }
                }
            }
        }
        String pkg = ((PackageElement) holder.getEnclosingElement()).getQualifiedName().toString();
        try {
            List<Class<?>> classes = new ArrayList<>();
            for (String root : roots) {
                classes.add(Class.forName(root, false, getClass().getClassLoader()));
            }
            String source = new YamlWriterGenerator(classes, jacksonDefaults).generate(pkg, name);
            try (Writer out = processingEnv.getFiler().createSourceFile(pkg + "." + name, holder).openWriter()) {
                out.write(source);
            }
        } catch (YamlWriterGenerator.Unsupported | ClassNotFoundException | IOException | LinkageError e) {
            processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, "cannot generate the YAML writer " + name + ": " + e, holder);
        }
    }
}
