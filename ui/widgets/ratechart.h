#pragma once

#include <QList>
#include <QWidget>

namespace mmv::ui {

/// A small line chart of a few series sampled once a second over the last minutes
/// (connections, messages in and out per second).
class RateChart : public QWidget
{
    Q_OBJECT

public:
    static constexpr int MaxSamples = 300;

    explicit RateChart(QWidget *parent = nullptr);

    /// Adds a series and returns its number.
    int addSeries(const QString &name, const QColor &color);
    /// Appends one sample per series (missing values count as 0).
    void addSample(const QList<double> &values);
    int sampleCount() const;
    /// The newest sample, one value per series (empty before the first).
    QList<double> lastSample() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    struct Series
    {
        QString name;
        QColor color;
        QList<double> values;
    };
    QList<Series> m_series;
};

} // namespace mmv::ui
