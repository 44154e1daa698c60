package dev.tributary.source.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.spi.ConnectorSpec;
import dev.tributary.spi.Source;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class FilesSourceTest {
    @Test
    void isFoundThroughServiceLoaderAsTypeFiles() {
        Source files = ServiceLoader.load(Source.class).stream().map(ServiceLoader.Provider::get)
                .filter(s -> s.spec().type().equals("files")).findFirst().orElseThrow();
        assertThat(files).isInstanceOf(FilesSource.class);
        assertThat(files.spec().has(ConnectorSpec.Capability.INCREMENTAL)).isTrue();
        assertThat(files.spec().settings()).extracting(ConnectorSpec.Setting::name).containsExactly("base_path", "batch_size", "streams");
    }
}
