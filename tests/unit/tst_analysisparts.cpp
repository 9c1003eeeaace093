// The analysis engine's smaller parts on synthetic input: dominant colours, loudness and
// silence, keyframe choice, and the outline's grouping and titles.

#include "server/analysis/audioanalyzer.h"
#include "server/analysis/colorstats.h"
#include "server/analysis/keyframeselector.h"
#include "server/analysis/outlinebuilder.h"

#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <random>
#include <vector>

using namespace mmv::analysis;

namespace {

std::vector<quint8> solid(int width, int height, quint8 b, quint8 g, quint8 r)
{
    std::vector<quint8> pixels(size_t(width) * height * 3);
    for (size_t i = 0; i < pixels.size(); i += 3) {
        pixels[i] = b;
        pixels[i + 1] = g;
        pixels[i + 2] = r;
    }
    return pixels;
}

/// A frame with detail (noise) or without (a flat grey), for the keyframe rating.
std::vector<quint8> textured(int width, int height, bool sharp, unsigned seed)
{
    std::vector<quint8> pixels(size_t(width) * height * 3, 128);
    if (sharp) {
        std::mt19937 random(seed);
        std::uniform_int_distribution<int> value(30, 220);
        for (quint8 &p : pixels)
            p = quint8(value(random));
    }
    return pixels;
}

OutlineShot outlineShot(int index, double start, double end, const QString &transition, quint8 b,
                        quint8 g, quint8 r, int people = -1)
{
    ColorStats stats;
    const std::vector<quint8> pixels = solid(16, 9, b, g, r);
    stats.add(pixels.data(), 16, 9, 48);
    OutlineShot shot;
    shot.index = index;
    shot.start = start;
    shot.end = end;
    shot.keyframe = index;
    shot.transition = transition;
    shot.histogram = stats.coarseHistogram();
    shot.colors = stats.dominant();
    shot.brightness = stats.brightness();
    shot.motion = 0.05;
    shot.people = people;
    return shot;
}

} // namespace

class TestAnalysisParts : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void solidColour_data();
    void solidColour();
    void colourShares();
    void loudnessAndSilence();
    void silenceShorterThanMinimumIsIgnored();
    void keyframePrefersSharpFramesOutsideTransitions();
    void keyframeForEveryRange();
    void writesJpeg();
    void outlineGroupsSimilarShots();
    void outlineTitle();
};

void TestAnalysisParts::solidColour_data()
{
    QTest::addColumn<int>("red");
    QTest::addColumn<int>("green");
    QTest::addColumn<int>("blue");
    QTest::addColumn<QString>("hex");
    QTest::addColumn<QString>("name");
    QTest::addRow("red") << 255 << 0 << 0 << "#ff0000"
                         << "red";
    QTest::addRow("navy") << 0 << 0 << 128 << "#000080"
                          << "dark blue";
    QTest::addRow("white") << 255 << 255 << 255 << "#ffffff"
                           << "white";
    QTest::addRow("orange") << 255 << 140 << 0 << "#ff8c00"
                            << "orange";
}

void TestAnalysisParts::solidColour()
{
    QFETCH(int, red);
    QFETCH(int, green);
    QFETCH(int, blue);
    QFETCH(QString, hex);
    QFETCH(QString, name);
    ColorStats stats;
    const std::vector<quint8> pixels = solid(64, 36, quint8(blue), quint8(green), quint8(red));
    for (int i = 0; i < 3; ++i)
        stats.add(pixels.data(), 64, 36, 64 * 3);
    const QList<DominantColor> colors = stats.dominant();
    QCOMPARE(colors.size(), 1);
    QCOMPARE(colors.first().hex(), hex);
    QCOMPARE(colors.first().share, 1.0);
    QCOMPARE(ColorStats::name(colors.first()), name);
    QVERIFY(std::abs(stats.brightness() - (0.299 * red + 0.587 * green + 0.114 * blue) / 255)
            < 1e-6);
}

void TestAnalysisParts::colourShares()
{
    // 70 % dark green (with slight variations that must merge), 30 % yellow.
    ColorStats stats;
    std::vector<quint8> pixels(100 * 10 * 3);
    for (int x = 0; x < 100; ++x) {
        for (int y = 0; y < 10; ++y) {
            quint8 *p = &pixels[size_t(y * 100 + x) * 3];
            if (x < 70) {
                p[0] = quint8(20 + x % 5);
                p[1] = quint8(100 + x % 7);
                p[2] = 20;
            } else {
                p[0] = 0;
                p[1] = 230;
                p[2] = 240;
            }
        }
    }
    stats.add(pixels.data(), 100, 10, 300);
    const QList<DominantColor> colors = stats.dominant();
    QCOMPARE(colors.size(), 2);
    QVERIFY(std::abs(colors[0].share - 0.7) < 1e-9);
    QVERIFY(std::abs(colors[1].share - 0.3) < 1e-9);
    QCOMPARE(ColorStats::name(colors[0]), QStringLiteral("dark green"));
    QCOMPARE(colors[1].hex(), QStringLiteral("#f0e600"));
    const QJsonArray json = ColorStats::toJson(colors);
    QCOMPARE(json.size(), 2);
    QCOMPARE(json[0].toObject().value(QStringLiteral("share")).toDouble(), 0.7);
}

void TestAnalysisParts::loudnessAndSilence()
{
    // 2 s of a 440 Hz sine at half scale, 2 s of silence, 1 s of sine, from t = 10 s.
    const int rate = 16000;
    std::vector<float> samples;
    for (int i = 0; i < rate * 5; ++i) {
        const bool tone = i < 2 * rate || i >= 4 * rate;
        samples.push_back(tone ? float(0.5 * std::sin(2 * M_PI * 440 * i / rate)) : 0.0f);
    }
    AudioAnalyzer audio(rate);
    // In uneven chunks, as the decoder delivers them.
    for (size_t offset = 0; offset < samples.size();) {
        const size_t count = std::min<size_t>(1234, samples.size() - offset);
        audio.add(samples.data() + offset, count, 10 + double(offset) / rate);
        offset += count;
    }
    QVERIFY(audio.takeLoudness().size() >= 9); // complete windows so far
    audio.finish();
    const QJsonObject json = audio.toJson();
    const QJsonArray loudness = json.value(QStringLiteral("loudness")).toArray();
    QCOMPARE(loudness.size(), 10);
    for (int i = 0; i < 10; ++i) {
        const QJsonObject point = loudness[i].toObject();
        QCOMPARE(point.value(QStringLiteral("t")).toDouble(), 10 + 0.5 * i);
        const double db = point.value(QStringLiteral("db")).toDouble();
        if (i < 4 || i >= 8)
            QVERIFY2(std::abs(db - -9.0) < 0.1,
                     qPrintable(QString::number(db))); // 20 log10(0.5 / sqrt 2)
        else
            QCOMPARE(db, -120.0);
    }
    const QJsonArray silences = json.value(QStringLiteral("silence")).toArray();
    QCOMPARE(silences.size(), 1);
    QVERIFY(std::abs(silences[0].toObject().value(QStringLiteral("start")).toDouble() - 12) < 0.06);
    QVERIFY(std::abs(silences[0].toObject().value(QStringLiteral("end")).toDouble() - 14) < 0.06);
    QCOMPARE(json.value(QStringLiteral("max_db")).toDouble(), -9.0);
}

void TestAnalysisParts::silenceShorterThanMinimumIsIgnored()
{
    const int rate = 8000;
    std::vector<float> samples;
    for (int i = 0; i < rate * 3; ++i) {
        const bool tone = i < rate || i >= rate * 18 / 10; // 0.8 s gap
        samples.push_back(tone ? float(0.3 * std::sin(0.1 * i)) : 0.0f);
    }
    // A trailing silence of 1.5 s closes at the end.
    samples.resize(samples.size() + size_t(rate * 3 / 2), 0.0f);
    AudioAnalyzer audio(rate);
    audio.add(samples.data(), samples.size(), 0);
    audio.finish();
    const QList<SilenceSpan> silences = audio.takeSilences();
    QCOMPARE(silences.size(), 1);
    QVERIFY(std::abs(silences.first().start - 3) < 0.06);
    QVERIFY(std::abs(silences.first().end - 4.5) < 0.06);
}

void TestAnalysisParts::keyframePrefersSharpFramesOutsideTransitions()
{
    KeyframeSelector selector;
    const int w = 160;
    const int h = 90;
    const std::vector<quint8> blurred = textured(w, h, false, 0);
    const std::vector<quint8> black(size_t(w) * h * 3, 0);
    const auto frame = [&](const std::vector<quint8> &pixels, double time) {
        return FrameView{ pixels.data(), w, h, w * 3, time };
    };
    const double flatQuality = KeyframeSelector::quality(frame(blurred, 0));
    const double blackQuality = KeyframeSelector::quality(frame(black, 0));
    std::vector<std::vector<quint8>> sharp;
    for (unsigned i = 0; i < 3; ++i)
        sharp.push_back(textured(w, h, true, i));
    const double sharpQuality = KeyframeSelector::quality(frame(sharp[0], 0));
    QVERIFY(sharpQuality > flatQuality);
    QVERIFY(flatQuality > blackQuality);

    // Frames 0..20: sharp frames at 2 (in a fade-in) and 12, flat ones elsewhere.
    for (qint64 i = 0; i <= 20; i += 2) {
        const std::vector<quint8> &pixels = i == 2 ? sharp[1] : i == 12 ? sharp[2] : blurred;
        selector.offer(i, KeyframeSelector::quality(frame(pixels, i / 25.0)),
                       frame(pixels, i / 25.0));
    }
    selector.markInTransition(2);
    selector.offer(30, sharpQuality, frame(sharp[0], 30 / 25.0)); // the next shot's
    const std::optional<KeyframeCandidate> chosen = selector.take(0, 20);
    QVERIFY(chosen);
    QCOMPARE(chosen->index, qint64(12));
    QCOMPARE(chosen->width, w);
    QCOMPARE(chosen->pixels, sharp[2]);
    QCOMPARE(selector.size(), 1); // only frame 30 is left
}

void TestAnalysisParts::keyframeForEveryRange()
{
    KeyframeSelector selector;
    const std::vector<quint8> pixels = textured(32, 18, true, 7);
    for (qint64 i : { 0, 10, 20 })
        selector.offer(i, 0.5, FrameView{ pixels.data(), 32, 18, 96, i / 25.0 });
    selector.prune(0, 20, 1); // keeps one of three equally good frames
    QCOMPARE(selector.size(), 1);
    selector.offer(40, 0.5, FrameView{ pixels.data(), 32, 18, 96, 40 / 25.0 });
    // A shot [25, 30] with no candidate of its own gets the nearest one.
    const std::optional<KeyframeCandidate> nearest = selector.take(25, 30);
    QVERIFY(nearest);
    QVERIFY(nearest->index != 40 || selector.size() == 1); // a later shot's stays for it
    const std::optional<KeyframeCandidate> next = selector.take(31, 50);
    QVERIFY(next);
    QCOMPARE(next->index, qint64(40));
    QVERIFY(!selector.take(51, 60));
}

void TestAnalysisParts::writesJpeg()
{
    QTemporaryDir dir;
    KeyframeCandidate frame;
    frame.width = 64;
    frame.height = 32;
    frame.pixels = solid(64, 32, 0, 0, 255);
    const QString path = dir.filePath(QStringLiteral("0.jpg"));
    QString error;
    KeyframeSelector selector;
    QVERIFY2(selector.writeJpeg(frame, path, &error), qPrintable(error));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    QVERIFY(bytes.startsWith("\xff\xd8\xff"));
    QVERIFY(bytes.endsWith("\xff\xd9"));
    QVERIFY(!selector.writeJpeg(frame, dir.filePath(QStringLiteral("no/such/dir/1.jpg")), &error));
    QVERIFY(!error.isEmpty());
    // Odd sizes (chroma planes rounded up) and a second size from the same writer.
    KeyframeCandidate odd;
    odd.width = 33;
    odd.height = 17;
    odd.pixels = solid(33, 17, 0, 255, 0);
    const QString oddPath = dir.filePath(QStringLiteral("2.jpg"));
    QVERIFY2(selector.writeJpeg(odd, oddPath, &error), qPrintable(error));
    QFile oddFile(oddPath);
    QVERIFY(oddFile.open(QIODevice::ReadOnly));
    QVERIFY(oddFile.readAll().startsWith("\xff\xd8\xff"));
    QVERIFY(!QFile::exists(oddPath + QStringLiteral(".part")));
}

void TestAnalysisParts::outlineGroupsSimilarShots()
{
    OutlineBuilder outline;
    // A dialogue cutting between two similar-looking set-ups, then a fade to a new scene of a
    // different colour, then a cut to something else again.
    QVERIFY(!outline.addShot(outlineShot(0, 0, 3, "start", 40, 60, 120)));
    QVERIFY(!outline.addShot(outlineShot(1, 3, 5, "cut", 45, 62, 118)));
    QVERIFY(!outline.addShot(outlineShot(2, 5, 8, "cut", 40, 60, 120)));
    QVERIFY(!outline.addShot(outlineShot(3, 8, 8.3, "cut", 200, 200, 20))); // an insert
    const std::optional<QJsonObject> first
        = outline.addShot(outlineShot(4, 8.3, 12, "fade", 42, 61, 119));
    QVERIFY(first); // a fade starts a new segment even when the colours match
    QCOMPARE(first->value(QStringLiteral("start")).toDouble(), 0.0);
    QCOMPARE(first->value(QStringLiteral("end")).toDouble(), 8.3);
    QCOMPARE(first->value(QStringLiteral("index")).toInt(), 0);
    QCOMPARE(first->value(QStringLiteral("keyframe")).toInt(), 0); // of the longest shot
    const std::optional<QJsonObject> second
        = outline.addShot(outlineShot(5, 12, 15, "cut", 250, 250, 250));
    QVERIFY(second);
    QCOMPARE(second->value(QStringLiteral("index")).toInt(), 1);
    QCOMPARE(outline.segments().size(), 3); // two closed, one open
    const std::optional<QJsonObject> last = outline.finish();
    QVERIFY(last);
    QCOMPARE(last->value(QStringLiteral("start")).toDouble(), 12.0);
    const QJsonArray all = outline.segments();
    QCOMPARE(all.size(), 3);
    for (const QJsonValue &segment : all) {
        const QJsonObject object = segment.toObject();
        QCOMPARE(object.keys(), (QStringList{ "end", "index", "keyframe", "start", "title" }));
        QVERIFY(!object.value(QStringLiteral("title")).toString().isEmpty());
    }
}

void TestAnalysisParts::outlineTitle()
{
    OutlineShot busy = outlineShot(0, 0, 4, "start", 30, 220, 250, 2);
    busy.motion = 0.8;
    QCOMPARE(OutlineBuilder::title({ busy }),
             QStringLiteral("2 people, bright, high motion, yellow tones"));
    OutlineShot dark = outlineShot(1, 4, 6, "cut", 10, 10, 10, 0);
    dark.faces = 1;
    QCOMPARE(OutlineBuilder::title({ dark }), QStringLiteral("1 face, dark, static"));
    OutlineShot one = outlineShot(2, 6, 8, "cut", 10, 10, 10, 1);
    QCOMPARE(OutlineBuilder::title({ dark, one }),
             QStringLiteral("1 person, dark, static, 2 shots"));
}

QTEST_GUILESS_MAIN(TestAnalysisParts)
#include "tst_analysisparts.moc"
