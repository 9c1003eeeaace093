// ShotDetector on synthetic frame sequences whose transitions are known exactly: cuts,
// flashes, dissolves, fades through black, black slugs, fades at the very start and end, and
// camera motion that must not read as a transition.

#include "server/analysis/shotdetector.h"

#include <QTest>

#include <cmath>
#include <random>
#include <vector>

using namespace mmv::analysis;

namespace {

constexpr int Width = 320;
constexpr int Height = 180;

/// A BGR picture wider than the frame, so that panning reveals new content.
struct Picture
{
    int width = 0;
    int height = 0;
    std::vector<float> pixels; ///< BGR
};

Picture scene(unsigned seed)
{
    std::mt19937 random(seed);
    std::uniform_real_distribution<float> unit(0, 1);
    Picture picture;
    picture.width = Width * 2;
    picture.height = Height;
    picture.pixels.resize(size_t(picture.width) * Height * 3);
    // A gradient background and coloured blobs: smooth areas and edges, like a real shot.
    float base[3] = { unit(random) * 200, unit(random) * 200, unit(random) * 200 };
    struct Blob
    {
        float x, y, r, colour[3];
    };
    std::vector<Blob> blobs(14);
    for (Blob &blob : blobs) {
        blob = { unit(random) * picture.width,
                 unit(random) * Height,
                 10 + unit(random) * 40,
                 { unit(random) * 255, unit(random) * 255, unit(random) * 255 } };
    }
    for (int y = 0; y < Height; ++y) {
        for (int x = 0; x < picture.width; ++x) {
            float *p = &picture.pixels[(size_t(y) * picture.width + x) * 3];
            for (int c = 0; c < 3; ++c)
                p[c] = base[c] * (0.6f + 0.4f * float(x) / picture.width);
            for (const Blob &blob : blobs) {
                const float dx = x - blob.x;
                const float dy = y - blob.y;
                if (dx * dx + dy * dy < blob.r * blob.r) {
                    for (int c = 0; c < 3; ++c)
                        p[c] = blob.colour[c];
                }
            }
        }
    }
    return picture;
}

/// One frame: a window of the picture at `offset`, times `gain`, plus a little noise.
std::vector<float> view(const Picture &picture, int offset, float gain = 1, unsigned noise = 0)
{
    std::vector<float> frame(size_t(Width) * Height * 3);
    std::mt19937 random(noise);
    std::uniform_real_distribution<float> jitter(-2, 2);
    for (int y = 0; y < Height; ++y) {
        for (int x = 0; x < Width; ++x) {
            const int sx = std::clamp(x + offset, 0, picture.width - 1);
            for (int c = 0; c < 3; ++c) {
                frame[(size_t(y) * Width + x) * 3 + c]
                    = picture.pixels[(size_t(y) * picture.width + sx) * 3 + c] * gain
                    + (noise ? jitter(random) : 0);
            }
        }
    }
    return frame;
}

std::vector<float> mix(const std::vector<float> &a, const std::vector<float> &b, float alpha)
{
    std::vector<float> out(a.size());
    for (size_t i = 0; i < a.size(); ++i)
        out[i] = a[i] * (1 - alpha) + b[i] * alpha;
    return out;
}

std::vector<float> flat(float value)
{
    return std::vector<float>(size_t(Width) * Height * 3, value);
}

using Sequence = std::vector<std::vector<float>>;

struct Expected
{
    qint64 frame;
    ShotTransition::Kind kind;
};

struct Outcome
{
    std::vector<ShotTransition> transitions;
    std::vector<ShotFrame> frames;
    bool transitionBeforeItsFrame = true;
};

Outcome detect(const Sequence &sequence)
{
    ShotDetectorOptions options;
    options.fps = 25;
    ShotDetector detector(options);
    Outcome outcome;
    detector.setTransitionHandler([&outcome](const ShotTransition &transition) {
        if (!outcome.frames.empty() && outcome.frames.back().index >= transition.frame)
            outcome.transitionBeforeItsFrame = false;
        outcome.transitions.push_back(transition);
    });
    detector.setFrameHandler([&outcome](const ShotFrame &frame) {
        ShotFrame copy = frame;
        copy.thumbnail = nullptr;
        outcome.frames.push_back(copy);
    });
    std::vector<quint8> bytes(size_t(Width) * Height * 3);
    for (size_t i = 0; i < sequence.size(); ++i) {
        for (size_t j = 0; j < bytes.size(); ++j)
            bytes[j] = quint8(std::clamp(std::lround(sequence[i][j]), 0L, 255L));
        detector.push(FrameView{ bytes.data(), Width, Height, Width * 3, double(i) / 25 },
                      qint64(i));
    }
    detector.finish();
    return outcome;
}

void append(Sequence &sequence, const Picture &picture, int frames, int pan = 0, int from = 0)
{
    for (int i = 0; i < frames; ++i) {
        sequence.push_back(
            view(picture, std::min(Width, from + i * pan), 1, unsigned(sequence.size() + 1)));
    }
}

} // namespace

Q_DECLARE_METATYPE(Sequence)
Q_DECLARE_METATYPE(std::vector<Expected>)

class TestShotDetector : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void transitions_data();
    void transitions();
    void releasesEveryFrameOnce();
};

void TestShotDetector::transitions_data()
{
    QTest::addColumn<Sequence>("sequence");
    QTest::addColumn<std::vector<Expected>>("expected");
    QTest::addColumn<int>("tolerance");
    using Kind = ShotTransition::Kind;
    const Picture a = scene(1);
    const Picture b = scene(2);
    const Picture c = scene(3);

    {
        Sequence s;
        append(s, a, 40);
        append(s, b, 40);
        append(s, c, 40);
        QTest::addRow("two cuts") << s
                                  << std::vector<Expected>{ { 40, Kind::Cut }, { 80, Kind::Cut } }
                                  << 0;
    }
    {
        Sequence s;
        append(s, a, 50, 3);
        append(s, b, 50, 3);
        QTest::addRow("cut while panning") << s << std::vector<Expected>{ { 50, Kind::Cut } } << 0;
    }
    {
        Sequence s;
        append(s, a, 60, 4);
        QTest::addRow("panning only") << s << std::vector<Expected>{} << 0;
    }
    {
        Sequence s;
        append(s, a, 30);
        s.push_back(mix(s.back(), flat(255), 0.8f));
        append(s, a, 30);
        QTest::addRow("flash") << s << std::vector<Expected>{} << 0;
    }
    {
        Sequence s;
        s.push_back(flat(0));
        append(s, a, 50);
        QTest::addRow("one black frame, then a cut")
            << s << std::vector<Expected>{ { 1, Kind::Cut } } << 0;
    }
    {
        // Frames 30..49 blend a into b: the boundary is the middle of the blend.
        Sequence s;
        append(s, a, 30);
        for (int i = 0; i < 20; ++i)
            s.push_back(mix(view(a, 0), view(b, 0), float(i + 1) / 21));
        append(s, b, 40);
        QTest::addRow("dissolve") << s << std::vector<Expected>{ { 40, Kind::Dissolve } } << 2;
    }
    {
        Sequence s;
        append(s, a, 30, 1);
        for (int i = 0; i < 24; ++i)
            s.push_back(mix(view(a, 30 + i), view(b, i), float(i + 1) / 25));
        append(s, b, 40, 1, 24);
        QTest::addRow("dissolve while panning")
            << s << std::vector<Expected>{ { 42, Kind::Dissolve } } << 3;
    }
    {
        // Fade out over 15 frames (30..44), black 45..49, fade in 50..64.
        Sequence s;
        append(s, a, 30);
        for (int i = 0; i < 15; ++i)
            s.push_back(view(a, 0, 1 - float(i + 1) / 16));
        for (int i = 0; i < 5; ++i)
            s.push_back(flat(0));
        for (int i = 0; i < 15; ++i)
            s.push_back(view(b, 0, float(i + 1) / 16));
        append(s, b, 40);
        QTest::addRow("fade through black")
            << s << std::vector<Expected>{ { 47, Kind::Fade } } << 2;
    }
    {
        Sequence s;
        append(s, a, 30);
        for (int i = 0; i < 15; ++i)
            s.push_back(view(a, 0, 1 - float(i + 1) / 16));
        for (int i = 0; i < 6; ++i)
            s.push_back(flat(0));
        append(s, b, 40);
        QTest::addRow("fade out, then a cut")
            << s << std::vector<Expected>{ { 40, Kind::Fade } } << 2;
    }
    {
        Sequence s;
        append(s, a, 30);
        for (int i = 0; i < 10; ++i)
            s.push_back(flat(0));
        append(s, b, 30);
        QTest::addRow("black slug between cuts")
            << s << std::vector<Expected>{ { 30, Kind::Cut }, { 40, Kind::Cut } } << 0;
    }
    {
        Sequence s;
        for (int i = 0; i < 5; ++i)
            s.push_back(flat(0));
        for (int i = 0; i < 15; ++i)
            s.push_back(view(a, 0, float(i + 1) / 16));
        append(s, a, 40);
        for (int i = 0; i < 15; ++i)
            s.push_back(view(a, 0, 1 - float(i + 1) / 16));
        for (int i = 0; i < 5; ++i)
            s.push_back(flat(0));
        QTest::addRow("fade in at the start, fade out at the end")
            << s << std::vector<Expected>{} << 0;
    }
}

void TestShotDetector::transitions()
{
    QFETCH(Sequence, sequence);
    QFETCH(std::vector<Expected>, expected);
    QFETCH(int, tolerance);

    const Outcome outcome = detect(sequence);
    QString found;
    for (const ShotTransition &t : outcome.transitions)
        found += QStringLiteral(" %1@%2").arg(ShotTransition::kindName(t.kind)).arg(t.frame);
    QVERIFY2(outcome.transitions.size() == expected.size(), qPrintable(found));
    for (size_t i = 0; i < expected.size(); ++i) {
        const ShotTransition &t = outcome.transitions[i];
        QVERIFY2(std::abs(t.frame - expected[i].frame) <= tolerance, qPrintable(found));
        QCOMPARE(ShotTransition::kindName(t.kind), ShotTransition::kindName(expected[i].kind));
        QVERIFY(t.score > 0 && t.score <= 1);
        QVERIFY(t.confidence >= 0 && t.confidence <= 1);
        QVERIFY(t.firstFrame <= t.frame && (t.lastFrame >= t.frame || t.lastFrame < t.firstFrame));
        QCOMPARE(t.time, double(t.frame) / 25);
    }
    QVERIFY(outcome.transitionBeforeItsFrame);
}

void TestShotDetector::releasesEveryFrameOnce()
{
    Sequence s;
    const Picture a = scene(4);
    const Picture b = scene(5);
    append(s, a, 40, 2);
    for (int i = 0; i < 20; ++i)
        s.push_back(mix(view(a, 80), view(b, 0), float(i + 1) / 21));
    append(s, b, 40);
    const Outcome outcome = detect(s);
    QCOMPARE(outcome.frames.size(), s.size());
    for (size_t i = 0; i < outcome.frames.size(); ++i)
        QCOMPARE(outcome.frames[i].index, qint64(i));
    QCOMPARE(outcome.transitions.size(), size_t(1));
    const ShotTransition &t = outcome.transitions.front();
    for (const ShotFrame &frame : outcome.frames) {
        const bool inside = frame.index >= t.firstFrame && frame.index <= t.lastFrame;
        QCOMPARE(frame.inTransition, inside);
    }
    // The blend itself is the transition, give or take the ramp's soft ends.
    QVERIFY2(std::abs(t.firstFrame - 40) <= 3 && std::abs(t.lastFrame - 59) <= 3,
             qPrintable(QStringLiteral("%1..%2").arg(t.firstFrame).arg(t.lastFrame)));
}

QTEST_GUILESS_MAIN(TestShotDetector)
#include "tst_shotdetector.moc"
