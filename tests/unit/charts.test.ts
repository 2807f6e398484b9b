import { describe, it, expect } from 'vitest';
import { attendanceCalendar, ratingChart } from '../../views/students/charts';

const texts = (svg: string, cls: string) => [...svg.matchAll(new RegExp(`<text class="${cls}"[^>]*>([^<]*)</text>`, 'g'))].map((m) => m[1]);

describe('charts say what they show', () => {
  const series = [{ date: '2026-09-29', rating: 5 }, { date: '2026-10-20', rating: 7 }, { date: '2026-11-17', rating: 7.56 }];
  it('the rating chart: one row of x labels (the first day, then the months), a labelled pass line, tooltips in the language', () => {
    const svg = ratingChart(series, { from: '2026-09-14', to: '2026-11-24', min: 1, max: 10, threshold: 4, lang: 'ru', label: 'Рейтинг', thresholdLabel: 'нужно для допуска: 4' }).value;
    expect(texts(svg, 'x-label')).toEqual(['14.09', 'окт.', 'нояб.']);
    expect(svg).toContain('<text class="pass-label"');
    expect(texts(svg, 'pass-label')).toEqual(['нужно для допуска: 4']);
    expect(svg).toContain('<title>17.11: 7,56</title>');
    const en = ratingChart(series, { from: '2026-09-14', to: '2026-11-24', min: 1, max: 10, threshold: 4, lang: 'en', label: 'Rating', thresholdLabel: 'needed for admission: 4' }).value;
    expect(texts(en, 'x-label')).toEqual(['14/09', 'Oct', 'Nov']);
    expect(en).toContain('<title>17/11: 7.56</title>');
  });

  it('the attendance calendar: month names over the weeks and the day of the month in each square', () => {
    const days = ['2026-09-28', '2026-09-29', '2026-10-05', '2026-10-12', '2026-11-02', '2026-11-03'].map((date) => ({ date, state: 'present' as const }));
    const svg = attendanceCalendar(days, { lang: 'ru', label: 'Календарь', legend: { present: 'был', late: 'опоздание', absent: 'пропуск', excused: 'уважительная', none: '' } }).value;
    expect(texts(svg, 'month')).toEqual(['окт.', 'нояб.']); // September's two days give their place to October's name
    expect(texts(svg, 'day')).toEqual(['28', '29', '5', '12', '2', '3']);
  });
});
