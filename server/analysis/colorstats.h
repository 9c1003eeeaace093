#pragma once

#include <QJsonArray>
#include <QList>
#include <QString>

#include <array>
#include <vector>

namespace mmv::analysis {

struct DominantColor
{
    int red = 0;
    int green = 0;
    int blue = 0;
    double share = 0; ///< of the pixels seen, 0..1

    QString hex() const; ///< "#rrggbb"
};

/// Colour statistics of a shot, accumulated from small BGR thumbnails of its frames: a
/// quantised colour histogram (16 levels per channel, with the mean colour of each bin) that
/// yields the dominant colours by greedy clustering of close bins, the mean brightness, and
/// a coarse normalised histogram for comparing shots.
class ColorStats
{
public:
    static constexpr int kCoarseBins = 64; ///< 4 levels per channel

    ColorStats();

    void add(const quint8 *bgr, int width, int height, int stride);
    void merge(const ColorStats &other);
    bool isEmpty() const { return m_pixels == 0; }

    /// Up to `count` colours with at least `minShare` of the pixels, largest share first.
    QList<DominantColor> dominant(int count = 5, double minShare = 0.02) const;
    /// Mean luma (Rec. 601), 0..1.
    double brightness() const;
    /// Normalised to a sum of 1.
    std::array<float, kCoarseBins> coarseHistogram() const;

    /// [{hex, share}] with shares rounded to 3 decimals.
    static QJsonArray toJson(const QList<DominantColor> &colors);
    /// A plain English name for the colour ("red", "dark blue", "grey"...).
    static QString name(const DominantColor &color);
    /// Histogram intersection of two normalised histograms, 0..1.
    static double similarity(const std::array<float, kCoarseBins> &a,
                             const std::array<float, kCoarseBins> &b);

private:
    struct Bin
    {
        quint64 count = 0;
        quint64 blue = 0;
        quint64 green = 0;
        quint64 red = 0;
    };
    std::vector<Bin> m_bins; ///< 4096, indexed by 4 bits of blue, green, red
    quint64 m_pixels = 0;
};

} // namespace mmv::analysis
