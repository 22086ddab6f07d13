package dev.streamfm.report;

import com.fasterxml.jackson.databind.JsonNode;
import org.w3c.dom.Document;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checks the chart files a report lists: decodable PNG and well-formed SVG of real size, all shown by report.html. */
final class ChartFiles {

    private static final long MIN_PNG_BYTES = 5_000;
    private static final long MIN_SVG_BYTES = 20_000;

    private ChartFiles() {
    }

    static void check(Path dir, JsonNode summary, List<String> expectedIds) throws Exception {
        List<String> ids = Recomputed.texts(summary.get("charts"), "id");
        assertTrue(ids.containsAll(expectedIds), "charts " + ids + " lack some of " + expectedIds);
        String html = Files.readString(dir.resolve(AnalysisReport.HTML));
        Set<String> images = new HashSet<>();
        Matcher m = Pattern.compile("<img src=\"([^\"]+)\"").matcher(html);
        while (m.find()) {
            images.add(m.group(1));
        }
        Set<String> listed = new HashSet<>();
        for (JsonNode c : summary.get("charts")) {
            String png = c.get("png").asText();
            String svg = c.get("svg").asText();
            listed.add(png);
            assertTrue(images.contains(png), "report.html does not show " + png);
            assertTrue(html.contains("href=\"" + svg + "\""), "report.html does not link " + svg);

            Path pngFile = dir.resolve(png);
            assertTrue(Files.size(pngFile) > MIN_PNG_BYTES, png + " is " + Files.size(pngFile) + " bytes");
            BufferedImage image = ImageIO.read(pngFile.toFile());
            assertNotNull(image, png + " is not a PNG");
            assertTrue(image.getWidth() >= 800 && image.getHeight() >= 150, png + " is " + image.getWidth() + "x"
                    + image.getHeight());
            assertTrue(distinctColours(image) > 3, png + " is blank");

            Path svgFile = dir.resolve(svg);
            assertTrue(Files.size(svgFile) > MIN_SVG_BYTES, svg + " is " + Files.size(svgFile) + " bytes");
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            Document doc = f.newDocumentBuilder().parse(svgFile.toFile());
            assertEquals("svg", doc.getDocumentElement().getNodeName(), svg);
            assertTrue(doc.getElementsByTagName("path").getLength() > 10, svg + " draws nothing");
        }
        assertEquals(listed, images, "report.html shows exactly the listed charts");
    }

    private static int distinctColours(BufferedImage image) {
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 7) {
            for (int x = 0; x < image.getWidth(); x += 7) {
                colours.add(image.getRGB(x, y));
            }
        }
        return colours.size();
    }
}
