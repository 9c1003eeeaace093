#include "ratechart.h"

#include <QLocale>
#include <QPainter>
#include <QPainterPath>

namespace mmv::ui {

RateChart::RateChart(QWidget *parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

int RateChart::addSeries(const QString &name, const QColor &color)
{
    m_series.append({ name, color, {} });
    return int(m_series.size() - 1);
}

void RateChart::addSample(const QList<double> &values)
{
    for (qsizetype i = 0; i < m_series.size(); ++i) {
        QList<double> &series = m_series[i].values;
        series.append(i < values.size() ? values.at(i) : 0.0);
        if (series.size() > MaxSamples)
            series.removeFirst();
    }
    update();
}

int RateChart::sampleCount() const
{
    return m_series.isEmpty() ? 0 : int(m_series.first().values.size());
}

QList<double> RateChart::lastSample() const
{
    QList<double> values;
    for (const Series &series : m_series) {
        if (series.values.isEmpty())
            return {};
        values.append(series.values.last());
    }
    return values;
}

QSize RateChart::sizeHint() const
{
    return { 400, fontMetrics().height() * 5 };
}

QSize RateChart::minimumSizeHint() const
{
    return { 120, fontMetrics().height() * 4 };
}

void RateChart::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QRectF area = QRectF(rect()).adjusted(1, fontMetrics().height() + 2, -1, -1);
    painter.fillRect(area, palette().base());
    painter.setPen(palette().mid().color());
    painter.drawRect(area);

    double maximum = 1;
    for (const Series &s : std::as_const(m_series)) {
        for (double v : s.values)
            maximum = qMax(maximum, v);
    }
    const double step = area.width() / (MaxSamples - 1);
    int legendX = 2;
    const QLocale locale;
    for (const Series &s : std::as_const(m_series)) {
        QPainterPath path;
        const qsizetype offset = MaxSamples - s.values.size();
        for (qsizetype i = 0; i < s.values.size(); ++i) {
            const QPointF point(area.left() + (offset + i) * step,
                                area.bottom() - s.values.at(i) / maximum * (area.height() - 2));
            if (i == 0)
                path.moveTo(point);
            else
                path.lineTo(point);
        }
        painter.setPen(QPen(s.color, 1.5));
        painter.drawPath(path);
        const QString legend = QStringLiteral("%1: %2").arg(
            s.name, locale.toString(s.values.isEmpty() ? 0.0 : s.values.last(), 'f', 0));
        painter.drawText(legendX, fontMetrics().ascent(), legend);
        legendX += fontMetrics().horizontalAdvance(legend) + 16;
    }
    painter.setPen(palette().text().color());
    const QString top = locale.toString(maximum, 'f', 0);
    painter.drawText(QRectF(area).adjusted(0, 2, -4, 0), Qt::AlignRight | Qt::AlignTop, top);
}

} // namespace mmv::ui
