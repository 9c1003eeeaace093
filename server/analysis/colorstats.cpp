#include "colorstats.h"

#include <QJsonObject>

#include <algorithm>
#include <cmath>

namespace mmv::analysis {

namespace {

constexpr int kLevels = 16;
constexpr int kBins = kLevels * kLevels * kLevels;
/// Bins whose mean colours are closer than this (Euclidean, 0..255 RGB) are one colour.
constexpr double kMergeDistance = 48;
constexpr int kMaxClusters = 24;

struct Cluster
{
    double count = 0;
    double blue = 0;
    double green = 0;
    double red = 0;

    double b() const { return blue / count; }
    double g() const { return green / count; }
    double r() const { return red / count; }
    void add(double n, double sb, double sg, double sr)
    {
        count += n;
        blue += sb;
        green += sg;
        red += sr;
    }
};

/// Distance with the channels weighted by how much the eye tells them apart.
double distance(double r1, double g1, double b1, double r2, double g2, double b2)
{
    const double dr = r1 - r2;
    const double dg = g1 - g2;
    const double db = b1 - b2;
    return std::sqrt(0.3 * dr * dr + 0.59 * dg * dg + 0.11 * db * db) * 1.6;
}

} // namespace

QString DominantColor::hex() const
{
    return QStringLiteral("#%1%2%3")
        .arg(red, 2, 16, QLatin1Char('0'))
        .arg(green, 2, 16, QLatin1Char('0'))
        .arg(blue, 2, 16, QLatin1Char('0'));
}

ColorStats::ColorStats()
    : m_bins(kBins)
{ }

void ColorStats::add(const quint8 *bgr, int width, int height, int stride)
{
    for (int y = 0; y < height; ++y) {
        const quint8 *p = bgr + size_t(y) * size_t(stride);
        for (int x = 0; x < width; ++x, p += 3) {
            Bin &bin = m_bins[size_t((p[0] >> 4) << 8 | (p[1] >> 4) << 4 | (p[2] >> 4))];
            ++bin.count;
            bin.blue += p[0];
            bin.green += p[1];
            bin.red += p[2];
        }
    }
    m_pixels += quint64(width) * quint64(height);
}

void ColorStats::merge(const ColorStats &other)
{
    for (size_t i = 0; i < m_bins.size(); ++i) {
        m_bins[i].count += other.m_bins[i].count;
        m_bins[i].blue += other.m_bins[i].blue;
        m_bins[i].green += other.m_bins[i].green;
        m_bins[i].red += other.m_bins[i].red;
    }
    m_pixels += other.m_pixels;
}

QList<DominantColor> ColorStats::dominant(int count, double minShare) const
{
    if (m_pixels == 0)
        return {};
    std::vector<int> order;
    for (int i = 0; i < kBins; ++i) {
        if (m_bins[size_t(i)].count > 0)
            order.push_back(i);
    }
    std::sort(order.begin(), order.end(),
              [this](int a, int b) { return m_bins[size_t(a)].count > m_bins[size_t(b)].count; });

    // Greedy: the most populated bins found the clusters, the rest join the nearest one.
    std::vector<Cluster> clusters;
    for (int i : order) {
        const Bin &bin = m_bins[size_t(i)];
        const double n = double(bin.count);
        const double r = bin.red / n;
        const double g = bin.green / n;
        const double b = bin.blue / n;
        Cluster *nearest = nullptr;
        double nearestDistance = 1e9;
        for (Cluster &cluster : clusters) {
            const double d = distance(r, g, b, cluster.r(), cluster.g(), cluster.b());
            if (d < nearestDistance) {
                nearestDistance = d;
                nearest = &cluster;
            }
        }
        if (nearest && (nearestDistance < kMergeDistance || int(clusters.size()) >= kMaxClusters))
            nearest->add(n, double(bin.blue), double(bin.green), double(bin.red));
        else
            clusters.push_back(Cluster{ n, double(bin.blue), double(bin.green), double(bin.red) });
    }
    std::sort(clusters.begin(), clusters.end(),
              [](const Cluster &a, const Cluster &b) { return a.count > b.count; });
    QList<DominantColor> colors;
    for (const Cluster &cluster : clusters) {
        const double share = cluster.count / double(m_pixels);
        if (colors.size() >= count || share < minShare)
            break;
        colors.append(DominantColor{ int(std::lround(cluster.r())), int(std::lround(cluster.g())),
                                     int(std::lround(cluster.b())), share });
    }
    return colors;
}

double ColorStats::brightness() const
{
    if (m_pixels == 0)
        return 0;
    // Luma is linear: the bins' channel sums give its mean exactly.
    double luma = 0;
    for (const Bin &bin : m_bins)
        luma += 0.114 * double(bin.blue) + 0.587 * double(bin.green) + 0.299 * double(bin.red);
    return luma / double(m_pixels) / 255;
}

std::array<float, ColorStats::kCoarseBins> ColorStats::coarseHistogram() const
{
    std::array<float, kCoarseBins> histogram{};
    if (m_pixels == 0)
        return histogram;
    for (int i = 0; i < kBins; ++i) {
        const int b = (i >> 8) & 15;
        const int g = (i >> 4) & 15;
        const int r = i & 15;
        histogram[size_t((b >> 2) << 4 | (g >> 2) << 2 | (r >> 2))]
            += float(double(m_bins[size_t(i)].count) / double(m_pixels));
    }
    return histogram;
}

QJsonArray ColorStats::toJson(const QList<DominantColor> &colors)
{
    QJsonArray array;
    for (const DominantColor &color : colors) {
        array.append(
            QJsonObject{ { QStringLiteral("hex"), color.hex() },
                         { QStringLiteral("share"), std::round(color.share * 1000) / 1000 } });
    }
    return array;
}

QString ColorStats::name(const DominantColor &color)
{
    const double r = color.red / 255.0;
    const double g = color.green / 255.0;
    const double b = color.blue / 255.0;
    const double max = std::max({ r, g, b });
    const double min = std::min({ r, g, b });
    const double saturation = max > 0 ? (max - min) / max : 0;
    if (max < 0.15)
        return QStringLiteral("black");
    if (saturation < 0.2) {
        if (max > 0.85)
            return QStringLiteral("white");
        return max < 0.4 ? QStringLiteral("dark grey") : QStringLiteral("grey");
    }
    double hue = 0;
    const double delta = max - min;
    if (max == r)
        hue = 60 * std::fmod((g - b) / delta, 6.0);
    else if (max == g)
        hue = 60 * ((b - r) / delta + 2);
    else
        hue = 60 * ((r - g) / delta + 4);
    if (hue < 0)
        hue += 360;
    QString name;
    if (hue < 15 || hue >= 340)
        name = QStringLiteral("red");
    else if (hue < 40)
        name = max < 0.6 ? QStringLiteral("brown") : QStringLiteral("orange");
    else if (hue < 70)
        name = QStringLiteral("yellow");
    else if (hue < 160)
        name = QStringLiteral("green");
    else if (hue < 200)
        name = QStringLiteral("cyan");
    else if (hue < 260)
        name = QStringLiteral("blue");
    else if (hue < 300)
        name = QStringLiteral("purple");
    else
        name = QStringLiteral("pink");
    if (max < 0.55 && name != QLatin1String("brown"))
        name = QStringLiteral("dark ") + name;
    return name;
}

double ColorStats::similarity(const std::array<float, kCoarseBins> &a,
                              const std::array<float, kCoarseBins> &b)
{
    double common = 0;
    for (size_t i = 0; i < a.size(); ++i)
        common += std::min(a[i], b[i]);
    return common;
}

} // namespace mmv::analysis
