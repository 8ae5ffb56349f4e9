/** The cost calculator on its own: what a shared hire would cost each town, before anything is proposed. */
import { useTranslation } from 'react-i18next';
import { Link } from '../../app/router';
import { CostCalculator } from './cost-calculator';
import { TALENT_PATHS } from './paths';
import '../consultations/consultations.css';
import './talent.css';

export function CalculatorPage() {
  const { t } = useTranslation('talent');
  return (
    <section aria-labelledby="page-title">
      <nav className="breadcrumbs" aria-label={t('breadcrumbs')}>
        <ol>
          <li>
            <Link to={TALENT_PATHS.list}>{t('list.title')}</Link>
          </li>
          <li aria-current="page">{t('calculator.title')}</li>
        </ol>
      </nav>
      <h1 id="page-title" tabIndex={-1}>
        {t('calculator.title')}
      </h1>
      <p>{t('calculator.intro')}</p>
      <CostCalculator initial={{ annualCostYen: '20000000', subsidyPercent: '50', splitRule: 'EQUAL', participants: [] }} />
    </section>
  );
}
