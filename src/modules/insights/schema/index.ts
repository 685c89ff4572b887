import './retention';
import './experiment-report';
import './liability';
