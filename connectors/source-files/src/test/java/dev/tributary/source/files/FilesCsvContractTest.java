package dev.tributary.source.files;

import dev.tributary.spi.Config;
import dev.tributary.spi.Source;
import dev.tributary.testkit.SourceContractTest;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The source contract over several CSV files, with batches that end inside files and across them. */
class FilesCsvContractTest extends SourceContractTest {
    @TempDir
    Path dir;

    @BeforeEach
    void writeFiles() {
        Fixtures.write(dir, "leads/2024-01.csv", """
                company,first_name,last_name,country,added_at,score
                Acme,Ada,Lovelace,UK,2024-01-02T09:00:00,1.5
                Acme,Alan,Turing,UK,2024-01-03T10:30:00,2
                Globex,Grace,Hopper,US,2024-01-04 11:00:00,3.25
                Initech,Linus,Torvalds,FI,2024-01-05T12:00:00,
                Umbrella,"Margaret, M.",Hamilton,US,2024-01-06T13:00:00,4
                """);
        Fixtures.write(dir, "leads/2024-02.csv", """
                company,first_name,last_name,country,added_at,score
                Hooli,Barbara,Liskov,US,2024-02-01T08:00:00,5
                Hooli,Edsger,Dijkstra,NL,2024-02-02T08:00:00,6.5
                Stark,Tony,Hoare,UK,2024-02-03T08:00:00,7
                "Wayne \"\"Enterprises\"\"",Donald,Knuth,US,2024-02-04T08:00:00,8
                """);
        Fixtures.write(dir, "leads/2024-03.csv", "company,first_name,last_name,country,added_at,score\r\n"
                + "Cyberdyne,John,McCarthy,US,2024-03-01T08:00:00,9\r\n"
                + "Tyrell,Ken,Thompson,US,2024-03-02T08:00:00,10\r\n");
        Fixtures.write(dir, "other/ignored.csv", "company\nNot me\n");
    }

    @Override
    protected Source source() {
        return new FilesSource();
    }

    @Override
    protected Config config() {
        return Fixtures.config(dir, 3, """
                {'name': 'leads', 'path': 'leads/*.csv', 'format': 'csv',
                 'primary_key': ['company', 'first_name', 'last_name', 'country']}""");
    }

    @Override
    protected String streamName() {
        return "leads";
    }

    @Override
    protected void appendData() {
        Fixtures.write(dir, "leads/2024-04.csv", """
                company,first_name,last_name,country,added_at,score
                Soylent,Frances,Allen,US,2024-04-01T08:00:00,11
                Soylent,Niklaus,Wirth,CH,2024-04-02T08:00:00,12
                """);
    }
}
