#include "shottimeline.h"

#include "ui/models/shotmodel.h"

#include <QMouseEvent>
#include <QPainter>

namespace mmv::ui {

ShotTimeline::ShotTimeline(QWidget *parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setToolTip(tr("Shots of the video; a dot marks faces or people"));
}

void ShotTimeline::setModel(ShotModel *model)
{
    if (m_model)
        m_model->disconnect(this);
    m_model = model;
    if (m_model) {
        auto repaint = [this] { update(); };
        connect(m_model, &QAbstractItemModel::dataChanged, this, repaint);
        connect(m_model, &QAbstractItemModel::rowsInserted, this, repaint);
        connect(m_model, &QAbstractItemModel::modelReset, this, repaint);
    }
    update();
}

void ShotTimeline::setDuration(double seconds)
{
    m_duration = seconds;
    update();
}

void ShotTimeline::setProgress(double fraction)
{
    m_progress = fraction;
    update();
}

QSize ShotTimeline::sizeHint() const
{
    return { 600, fontMetrics().height() * 2 + 8 };
}

QSize ShotTimeline::minimumSizeHint() const
{
    return { 100, fontMetrics().height() * 2 + 8 };
}

double ShotTimeline::effectiveDuration() const
{
    double duration = m_duration;
    if (m_model && m_model->shotCount() > 0) {
        const ShotModel::Shot &last = m_model->shot(m_model->shotCount() - 1);
        duration = qMax(duration, qMax(last.start, last.end));
    }
    return duration > 0 ? duration : 1;
}

QRectF ShotTimeline::blockRect(int row) const
{
    const ShotModel::Shot &s = m_model->shot(row);
    double end = s.end;
    if (end < 0) {
        end = row + 1 < m_model->shotCount()
            ? m_model->shot(row + 1).start
            : (m_progress >= 0 ? m_progress * m_duration : s.start);
    }
    const QRectF area = QRectF(rect()).adjusted(1, 1, -1, -1);
    const double scale = area.width() / effectiveDuration();
    const double left = area.left() + s.start * scale;
    return { left, area.top(), qMax(2.0, (end - s.start) * scale), area.height() };
}

int ShotTimeline::rowAt(const QPoint &position) const
{
    if (!m_model)
        return -1;
    for (int row = 0; row < m_model->shotCount(); ++row) {
        if (blockRect(row).contains(position))
            return row;
    }
    return -1;
}

void ShotTimeline::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    const QRectF area = QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5);
    painter.fillRect(area, palette().base());
    if (m_progress >= 0 && m_progress < 1) {
        QRectF pending = area;
        pending.setLeft(area.left() + area.width() * m_progress);
        painter.fillRect(pending, palette().alternateBase());
    }
    if (m_model) {
        const QColor colors[] = { QColor(0x42, 0x85, 0xf4), QColor(0x0f, 0x9d, 0x58) };
        painter.setRenderHint(QPainter::Antialiasing);
        for (int row = 0; row < m_model->shotCount(); ++row) {
            const ShotModel::Shot &s = m_model->shot(row);
            const QRectF block = blockRect(row).adjusted(0.5, 2, -0.5, -2);
            painter.fillRect(block, colors[row % 2]);
            if (block.width() > fontMetrics().horizontalAdvance(QStringLiteral("000")) + 4) {
                painter.setPen(Qt::white);
                painter.drawText(block.adjusted(3, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter,
                                 QString::number(s.index + 1));
            }
            if (s.faces > 0 || s.people > 0) {
                painter.setBrush(QColor(0xff, 0xc1, 0x07));
                painter.setPen(Qt::NoPen);
                painter.drawEllipse(QPointF(block.right() - 6, block.top() + 6), 3.5, 3.5);
            }
        }
    }
    painter.setBrush(Qt::NoBrush);
    painter.setPen(palette().mid().color());
    painter.drawRect(area);
}

void ShotTimeline::mousePressEvent(QMouseEvent *event)
{
    const int row = rowAt(event->position().toPoint());
    if (row >= 0)
        Q_EMIT shotClicked(row);
    QWidget::mousePressEvent(event);
}

} // namespace mmv::ui
